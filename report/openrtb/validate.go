package openrtb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Validate checks one rendered auction (a line of WriteLines, or Indent's
// text) as a reader of the wire would: the fields OpenRTB 2.6 requires
// (request id and imp, imp id, response id, bid id, impid and price), the
// ones this package promises (banner size, site, device, source.tid,
// imp.ext.prebid.bidder in the request to Prebid Server and imp.ext.bidder
// in each bidder's, bids with crid, adomain, w/h, mtype and nurl or adm),
// Prebid Server's response ext (responsetimemillis for each called bidder,
// seatnonbid codes from its list, agreeing with each bidder's notice),
// late answers left unread, and milliseconds in whole microseconds. It
// reports every problem found, joined.
func Validate(line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return fmt.Errorf("openrtb: not JSON: %w", err)
	}
	v := &validator{}
	a := v.obj(root, "")
	if a == nil {
		return v.err()
	}
	req := v.obj(a["request"], "request")
	if req != nil {
		v.request(req, "request", nil)
	}
	called := map[string]bool{}
	if req != nil {
		for _, imp := range v.arr(req["imp"], "request.imp") {
			if m, _ := imp.(map[string]any); m != nil {
				for name := range v.objAt(m, "ext", "prebid", "bidder") {
					called[name] = true
				}
			}
		}
	}
	notices := map[string]float64{} // seat: the notice's non-bid status
	status := map[string]string{}
	for i, x := range v.arr(a["responses"], "responses") {
		p := fmt.Sprintf("responses[%d]", i)
		r := v.obj(x, p)
		if r == nil {
			continue
		}
		seat := v.str(r["seat"], p+".seat")
		if !called[seat] {
			v.add("%s: seat %q is not in request.imp[].ext.prebid.bidder", p, seat)
		}
		st := v.str(r["status"], p+".status")
		status[seat] = st
		if !knownStatus[st] {
			v.add("%s.status: %q is none of the simulation's words", p, st)
		}
		if q := v.obj(r["request"], p+".request"); q != nil && req != nil {
			v.request(q, p+".request", req)
		}
		read, _ := r["read"].(bool)
		if _, ok := r["read"].(bool); !ok {
			v.add("%s.read: want true or false", p)
		}
		http := r["http_status"]
		if http != nil {
			if c := v.num(http, p+".http_status"); c != HTTPOK && c != HTTPNoContent && c != HTTPServerError {
				v.add("%s.http_status: %v", p, c)
			}
		}
		if http == nil && read {
			v.add("%s: read with no HTTP status", p)
		}
		resp := r["response"]
		if resp != nil {
			if !read {
				v.add("%s: a response that was not read", p)
			}
			if c := v.num(http, p+".http_status"); c != HTTPOK {
				v.add("%s: a response body with HTTP %v", p, c)
			}
			if req != nil {
				v.bidResponse(v.obj(resp, p+".response"), p+".response", req)
			}
		}
		if un := r["unread_response"]; un != nil && req != nil {
			v.bidResponse(v.obj(un, p+".unread_response"), p+".unread_response", req)
		}
		for _, k := range []string{"arrival_ms", "margin_ms"} {
			if r[k] != nil {
				v.micros(r[k], p+"."+k)
			}
		}
		if st == "late" {
			if read || resp != nil || r["unread_response"] == nil {
				v.add("%s: a late answer must be marked unread (read false, response null, unread_response)", p)
			}
			if m := v.num(r["margin_ms"], p+".margin_ms"); m > 0 {
				v.add("%s: late with margin %v ms", p, m)
			}
		}
		n := v.obj(r["notice"], p+".notice")
		if n == nil {
			continue
		}
		switch k := v.str(n["kind"], p+".notice.kind"); k {
		case "win", "loss":
			if lr := v.num(n["loss_reason"], p+".notice.loss_reason"); lr != 0 && lr != 100 && lr != 102 {
				v.add("%s.notice.loss_reason: %v", p, lr)
			}
		case "nonbid":
		default:
			v.add("%s.notice.kind: %q", p, k)
		}
		if n["nonbid"] != nil {
			c := v.num(n["nonbid"], p+".notice.nonbid")
			if !knownNonBid[NonBidReason(c)] {
				v.add("%s.notice.nonbid: %v is not on the list", p, c)
			}
			notices[seat] = c
		}
	}

	out := v.obj(a["response"], "response")
	if out != nil && req != nil {
		v.bidResponse(out, "response", req)
		for i, sb := range v.arrOpt(out["seatbid"], "response.seatbid") {
			if m, _ := sb.(map[string]any); m != nil {
				if s, _ := m["seat"].(string); status[s] != "on time" {
					v.add("response.seatbid[%d]: seat %q did not bid on time", i, s)
				}
			}
		}
		ext := v.obj(out["ext"], "response.ext")
		if ext != nil {
			if len(status) > 0 { // no bidder called, no response times
				rt := v.obj(ext["responsetimemillis"], "response.ext.responsetimemillis")
				for seat := range status {
					if rt != nil {
						v.whole(rt[seat], "response.ext.responsetimemillis."+seat)
					}
				}
			}
			seen := map[string]bool{}
			for i, x := range v.arrOpt(v.objAt(ext, "prebid")["seatnonbid"], "response.ext.prebid.seatnonbid") {
				p := fmt.Sprintf("response.ext.prebid.seatnonbid[%d]", i)
				m := v.obj(x, p)
				if m == nil {
					continue
				}
				seat := v.str(m["seat"], p+".seat")
				seen[seat] = true
				for j, nb := range v.arr(m["nonbid"], p+".nonbid") {
					q := fmt.Sprintf("%s.nonbid[%d]", p, j)
					nm := v.obj(nb, q)
					if nm == nil {
						continue
					}
					v.str(nm["impid"], q+".impid")
					c := v.num(nm["statuscode"], q+".statuscode")
					if !knownNonBid[NonBidReason(c)] || c == 0 {
						v.add("%s.statuscode: %v is none of Prebid Server's", q, c)
					}
					if w, ok := notices[seat]; !ok || w != c {
						v.add("%s.statuscode: %v, but %s's notice says %v", q, c, seat, w)
					}
				}
			}
			for seat, c := range notices {
				if c != 0 && !seen[seat] {
					v.add("response.ext.prebid.seatnonbid: no entry for %s (status %v)", seat, c)
				}
			}
		}
	}
	return v.err()
}

var knownStatus = map[string]bool{
	"on time": true, "late": true, "below floor": true, "no bid": true,
	"error": true, "hang": true, "refused": true, "skipped": true,
}

var knownNonBid = map[NonBidReason]bool{
	NonBidNoBidGeneral: true, NonBidErrorGeneral: true, NonBidErrorTimeout: true,
	NonBidErrorBidderUnreachable: true, NonBidResponseRejectedGeneral: true,
	NonBidResponseRejectedBelowFloor: true, NonBidResponseRejectedCategoryMapping: true,
	NonBidResponseRejectedBelowDealFloor: true, NonBidResponseRejectedCreativeSize: true,
	NonBidResponseRejectedCreativeNotSecure: true,
}

// validator collects problems.
type validator struct{ errs []error }

func (v *validator) add(format string, a ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, a...))
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return fmt.Errorf("openrtb: %w", errors.Join(v.errs...))
}

// request checks a BidRequest; parent, when given, is the request to
// Prebid Server that q, a bidder's own, was made from.
func (v *validator) request(q map[string]any, p string, parent map[string]any) {
	id := v.str(q["id"], p+".id")
	if parent != nil && id != parent["id"] {
		v.add("%s.id: %q, not the auction's", p, id)
	}
	v.each(v.some(q["imp"], p+".imp"), p+".imp", func(imp map[string]any, ip string) {
		v.str(imp["id"], ip+".id")
		if b := v.obj(imp["banner"], ip+".banner"); b != nil {
			v.positive(b["w"], ip+".banner.w")
			v.positive(b["h"], ip+".banner.h")
			v.each(v.arrOpt(b["format"], ip+".banner.format"), ip+".banner.format", func(fm map[string]any, _ string) {
				v.positive(fm["w"], ip+".banner.format.w")
				v.positive(fm["h"], ip+".banner.format.h")
			})
		}
		if imp["bidfloor"] != nil && v.num(imp["bidfloor"], ip+".bidfloor") < 0 {
			v.add("%s.bidfloor: negative", ip)
		}
		if c, ok := imp["bidfloorcur"]; ok && len(v.str(c, ip+".bidfloorcur")) != 3 {
			v.add("%s.bidfloorcur: not ISO-4217", ip)
		}
		ext := v.obj(imp["ext"], ip+".ext")
		if ext == nil {
			return
		}
		if parent == nil {
			v.obj(v.objAt(ext, "prebid")["bidder"], ip+".ext.prebid.bidder")
		} else {
			v.obj(ext["bidder"], ip+".ext.bidder")
			if v.objAt(ext, "prebid")["bidder"] != nil {
				v.add("%s.ext.prebid.bidder: a bidder's request names the other bidders", ip)
			}
		}
	})
	if s := v.obj(q["site"], p+".site"); s != nil {
		v.str(s["page"], p+".site.page")
		v.str(s["domain"], p+".site.domain")
		if pub := v.obj(s["publisher"], p+".site.publisher"); pub != nil {
			v.str(pub["id"], p+".site.publisher.id")
		}
	}
	if d := v.obj(q["device"], p+".device"); d != nil {
		v.str(d["ua"], p+".device.ua")
		v.str(d["ip"], p+".device.ip")
	}
	if at := v.num(q["at"], p+".at"); at != 1 && at != 2 {
		v.add("%s.at: %v, want 1 or 2", p, at)
	}
	tmax := v.positive(q["tmax"], p+".tmax")
	if parent != nil {
		if pt, _ := parent["tmax"].(json.Number); pt != "" {
			if f, err := pt.Float64(); err == nil && tmax > f {
				v.add("%s.tmax: %v, more than the %v ms the page waits", p, tmax, f)
			}
		}
	}
	for i, c := range v.arr(q["cur"], p+".cur") {
		if len(v.str(c, fmt.Sprintf("%s.cur[%d]", p, i))) != 3 {
			v.add("%s.cur: not ISO-4217", p)
		}
	}
	if s := v.obj(q["source"], p+".source"); s != nil {
		tid := v.str(s["tid"], p+".source.tid")
		if parent != nil && tid != v.objAt(parent, "source")["tid"] {
			v.add("%s.source.tid: %q, not the auction's", p, tid)
		}
	}
	if parent == nil {
		v.obj(v.objAt(q, "ext")["prebid"], p+".ext.prebid")
	}
}

// bidResponse checks a BidResponse to req: its id, and bids or a reason.
func (v *validator) bidResponse(r map[string]any, p string, req map[string]any) {
	if r == nil {
		return
	}
	if id := v.str(r["id"], p+".id"); id != req["id"] {
		v.add("%s.id: %q, not the request's", p, id)
	}
	imps := map[any]bool{}
	for _, x := range v.arr(req["imp"], "request.imp") {
		if m, _ := x.(map[string]any); m != nil {
			imps[m["id"]] = true
		}
	}
	sbs := v.arrOpt(r["seatbid"], p+".seatbid")
	if len(sbs) > 0 && r["nbr"] != nil {
		v.add("%s: bids and a no-bid reason", p)
	}
	if r["nbr"] != nil {
		v.whole(r["nbr"], p+".nbr")
	}
	v.each(sbs, p+".seatbid", func(sb map[string]any, sp string) {
		v.each(v.some(sb["bid"], sp+".bid"), sp+".bid", func(b map[string]any, bp string) {
			v.str(b["id"], bp+".id")
			if !imps[b["impid"]] {
				v.add("%s.impid: %v is no imp of the request", bp, b["impid"])
			}
			v.positive(b["price"], bp+".price")
			v.str(b["crid"], bp+".crid")
			if ad := v.arr(b["adomain"], bp+".adomain"); len(ad) == 0 {
				v.add("%s.adomain: empty", bp)
			}
			v.positive(b["w"], bp+".w")
			v.positive(b["h"], bp+".h")
			if mt := v.num(b["mtype"], bp+".mtype"); mt < 1 || mt > 4 {
				v.add("%s.mtype: %v", bp, mt)
			}
			nurl, _ := b["nurl"].(string)
			adm, _ := b["adm"].(string)
			if nurl == "" && adm == "" {
				v.add("%s: neither nurl nor adm", bp)
			}
		})
	})
}

func (v *validator) obj(x any, p string) map[string]any {
	m, ok := x.(map[string]any)
	if !ok {
		v.add("%s: want an object, have %s", p, kind(x))
	}
	return m
}

// objAt walks keys down from m, nil when a step is missing.
func (v *validator) objAt(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	return m
}

func (v *validator) arr(x any, p string) []any {
	a, ok := x.([]any)
	if !ok {
		v.add("%s: want an array, have %s", p, kind(x))
	}
	return a
}

// arrOpt is arr for an optional array: absent is empty.
func (v *validator) arrOpt(x any, p string) []any {
	if x == nil {
		return nil
	}
	return v.arr(x, p)
}

// some is arr for an array OpenRTB requires to hold at least one element.
func (v *validator) some(x any, p string) []any {
	a := v.arr(x, p)
	if len(a) == 0 {
		v.add("%s: none (OpenRTB requires at least one)", p)
	}
	return a
}

// each calls f with every element of a that is an object, and its path
// p[i]; an element that is not an object is reported instead.
func (v *validator) each(a []any, p string, f func(m map[string]any, p string)) {
	for i, x := range a {
		ep := fmt.Sprintf("%s[%d]", p, i)
		if m := v.obj(x, ep); m != nil {
			f(m, ep)
		}
	}
}

func (v *validator) str(x any, p string) string {
	s, ok := x.(string)
	if !ok || s == "" {
		v.add("%s: want a non-empty string, have %s", p, kind(x))
	}
	return s
}

func (v *validator) num(x any, p string) float64 {
	n, ok := x.(json.Number)
	if !ok {
		v.add("%s: want a number, have %s", p, kind(x))
		return -1
	}
	f, err := n.Float64()
	if err != nil {
		v.add("%s: %v", p, err)
	}
	return f
}

func (v *validator) positive(x any, p string) float64 {
	f := v.num(x, p)
	if f <= 0 {
		v.add("%s: %v, want > 0", p, f)
	}
	return f
}

// whole checks an integer ≥ 0.
func (v *validator) whole(x any, p string) {
	n, ok := x.(json.Number)
	if !ok {
		v.add("%s: want an integer, have %s", p, kind(x))
		return
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err != nil || i < 0 {
		v.add("%s: %s, want an integer ≥ 0", p, n)
	}
}

// micros checks a millisecond figure written to the microsecond at most:
// no more than three decimals, no exponent.
func (v *validator) micros(x any, p string) {
	n, ok := x.(json.Number)
	if !ok {
		v.add("%s: want a number, have %s", p, kind(x))
		return
	}
	s := string(n)
	if strings.ContainsAny(s, "eE") {
		v.add("%s: %s has an exponent", p, s)
	} else if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 3 {
		v.add("%s: %s is finer than a microsecond", p, s)
	}
}

func kind(x any) string {
	switch t := x.(type) {
	case nil:
		return "nothing"
	case string:
		if t == "" {
			return "an empty string"
		}
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", x)
}
