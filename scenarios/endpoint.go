package scenarios

import (
	"net/url"
	"strconv"
	"strings"
)

// endpoint reads a bidder's endpoint: the URL of a real OpenRTB 2.6
// endpoint that `auctionsim run` sends the bidder's bid requests to, on
// the wall clock (package wire), instead of simulating it. The engine
// never reads it: every other command simulates the bidder.
func (d *decoder) endpoint(o *object, name string) {
	v, ok := o.get("endpoint")
	if !ok {
		return
	}
	u, ok := d.text(v, "the URL of the bidder's OpenRTB endpoint (http:// or https://)")
	if !ok {
		return
	}
	if !IsHTTPURL(u) {
		d.errorf(v.at, v.path, "%q is not an http:// or https:// URL with a host", u)
		return
	}
	if d.endpoints == nil {
		d.endpoints = map[string]string{}
	}
	d.endpoints[name] = u
}

// IsHTTPURL reports whether u is an http:// or https:// URL with a host,
// as a bidder's endpoint must be (in a scenario, --endpoints, --endpoint
// and loadgen's --target), and a port, if any, from 1 to 65535: url.Parse
// takes http://127.0.0.1: (a port left out) and http://:8080 (no host
// name) for URLs with a host, which the client would send to port 80 or
// to the machine itself, not where was meant.
func IsHTTPURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" || strings.HasSuffix(p.Host, ":") {
		return false
	}
	if port := p.Port(); port != "" {
		n, err := strconv.Atoi(port)
		return err == nil && n >= 1 && n <= 65535
	}
	return true
}
