package scenarios

import "net/url"

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
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		d.errorf(v.at, v.path, "%q is not an http:// or https:// URL with a host", u)
		return
	}
	if d.endpoints == nil {
		d.endpoints = map[string]string{}
	}
	d.endpoints[name] = u
}
