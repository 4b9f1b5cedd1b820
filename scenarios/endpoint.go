package scenarios

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// endpoint reads a bidder's endpoint: the URL of a real OpenRTB 2.6
// endpoint that `auctionsim run` and the dashboard send the bidder's bid
// requests to, on the wall clock (package wire), instead of simulating
// it. The engine never reads it: the commands that simulate every bidder
// refuse it (SimulatesEndpoints).
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
		d.endpointAt = map[string]endpointOrigin{}
	}
	d.endpoints[name] = u
	d.endpointAt[name] = endpointOrigin{file: d.file, at: v.at}
}

// endpointOrigin is where a bidder's endpoint is given: at a line of a
// file, or by an override (set, its text: "--set bidders.x.endpoint=URL").
type endpointOrigin struct {
	file string
	at   position
	set  string
	// named: set is one override of the endpoint itself, which names
	// the field already.
	named bool
}

// placeEndpoints is where the endpoints of s, parsed from the text the
// overrides sets made of base's file (attach: the paths each edited), are
// given: an endpoint the file itself gives, as the file gives it, is at
// its line there (the edited text's lines may have moved); any other, at
// the override that edited it (every override, if none did alone).
func placeEndpoints(s, base *Scenario, sets []Set, attach [][]string) {
	if len(s.Endpoints) == 0 {
		return
	}
	at := make(map[string]endpointOrigin, len(s.Endpoints))
	for i, b := range s.Config.Bidders {
		u, ok := s.Endpoints[b.Name]
		if !ok {
			continue
		}
		if o, ok := base.endpointAt[b.Name]; ok && base.Endpoints[b.Name] == u {
			at[b.Name] = o
			continue
		}
		who := make([]string, 0, len(sets))
		named := false
		if k, _ := culprit(fmt.Sprintf("bidders[%d].endpoint", i), attach); k >= 0 {
			who = append(who, sets[k].String())
			named = sets[k].Path == "bidders."+b.Name+".endpoint"
		} else {
			for _, set := range sets {
				who = append(who, set.String())
			}
		}
		at[b.Name] = endpointOrigin{set: strings.Join(who, ", "), named: named}
	}
	s.endpointAt = at
}

// SimulatesEndpoints refuses s, with an error a bidder that has an
// endpoint, for a command that simulates every bidder (an experiment,
// play, the classroom; who says which): it would report the model of a
// bidder the file says is real as if it were that bidder, a silent wrong
// number. Each error names where the endpoint is given (the file's line,
// or the override) and the field as --set writes it, and says what to do
// instead: onWire, when not empty, how to call the bidder (run once on
// the wire), and always how to simulate it (drop the endpoint). nil when
// s has no endpoint.
func (s *Scenario) SimulatesEndpoints(who, onWire string) error {
	var errs Errors
	for _, b := range s.Config.Bidders {
		u, ok := s.Endpoints[b.Name]
		if !ok {
			continue
		}
		field := "bidders." + b.Name + ".endpoint"
		msg := fmt.Sprintf("%s is a real bidder at %s, but %s simulates every bidder: its numbers would be the model's, not the bidder's. ", b.Name, u, who)
		if onWire != "" {
			msg += "To call it, " + onWire + "; to simulate it, "
		} else {
			msg += "To simulate it, "
		}
		msg += "drop the endpoint: " + shellSet(Set{Path: field, Value: "null"})
		o := s.endpointAt[b.Name]
		e := &Error{File: o.file, Line: o.at.line, Column: o.at.col, Field: field, Msg: msg}
		if o.set != "" {
			e.File, e.Line, e.Column = o.set, 0, 0
			if o.named {
				e.Field = ""
			}
		} else if e.File == "" {
			e.File = s.Source // not parsed here (never so: Parse places every endpoint)
		}
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
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
