package openrtb

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestValidateRejects breaks a valid auction one field at a time: each
// break must be caught, and named.
func TestValidateRejects(t *testing.T) {
	recs, seats := run(t, specWorld(sim.SecondPrice), 3)
	a, err := FromRecord(recs[2], seats)
	if err != nil {
		t.Fatal(err)
	}
	good, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(good); err != nil {
		t.Fatalf("the valid auction: %v", err)
	}
	// Responses: 0 a (on time, wins), 1 b, 2 c (below floor), 3 late,
	// 4 decline, 5 broken, 6 hang, 7 full.
	for _, c := range []struct {
		name, want string
		edit       func(m map[string]any)
	}{
		{"no site", "request.site", func(m map[string]any) { delete(obj(m, "request"), "site") }},
		{"no device ip", "request.device.ip", func(m map[string]any) { delete(obj(m, "request", "device"), "ip") }},
		{"no tid", "request.source.tid", func(m map[string]any) { delete(obj(m, "request", "source"), "tid") }},
		{"no banner", "request.imp[0].banner", func(m map[string]any) { delete(imp(obj(m, "request")), "banner") }},
		{"no bidder list", "ext.prebid.bidder", func(m map[string]any) { delete(obj(imp(obj(m, "request")), "ext"), "prebid") }},
		{"no request ext", "request.ext", func(m map[string]any) { delete(obj(m, "request"), "ext") }},
		{"no tmax", "request.tmax", func(m map[string]any) { delete(obj(m, "request"), "tmax") }},
		{"at 3", "request.at", func(m map[string]any) { obj(m, "request")["at"] = 3 }},
		{"bidder told more than the page", "more than the", func(m map[string]any) { obj(resp(m, 0), "request")["tmax"] = 121 }},
		{"bidder sees the others", "names the other bidders", func(m map[string]any) {
			obj(imp(obj(resp(m, 0), "request")), "ext")["prebid"] = map[string]any{"bidder": map[string]any{"b": map[string]any{}}}
		}},
		{"bidder's own tid", "not the auction's", func(m map[string]any) { obj(resp(m, 1), "request", "source")["tid"] = "x" }},
		{"no crid", "crid", func(m map[string]any) { delete(bid(obj(resp(m, 0), "response")), "crid") }},
		{"no adomain", "adomain", func(m map[string]any) { delete(bid(obj(m, "response")), "adomain") }},
		{"no mtype", "mtype", func(m map[string]any) { delete(bid(obj(resp(m, 1), "response")), "mtype") }},
		{"no size", ".w", func(m map[string]any) { delete(bid(obj(resp(m, 1), "response")), "w") }},
		{"no markup", "neither nurl nor adm", func(m map[string]any) {
			b := bid(obj(resp(m, 0), "response"))
			delete(b, "nurl")
			delete(b, "adm")
		}},
		{"unread bid without crid", "unread_response.seatbid[0].bid[0].crid", func(m map[string]any) {
			delete(bid(obj(resp(m, 3), "unread_response")), "crid")
		}},
		{"wrong impid", "no imp of the request", func(m map[string]any) { bid(obj(m, "response"))["impid"] = "2" }},
		{"response id", "not the request's", func(m map[string]any) { obj(m, "response")["id"] = "4" }},
		{"float noise", "finer than a microsecond", func(m map[string]any) { resp(m, 0)["margin_ms"] = json.Number("50.360659999999996") }},
		{"late bid read", "marked unread", func(m map[string]any) {
			r := resp(m, 3)
			r["response"], r["read"], r["http_status"] = r["unread_response"], true, 200
		}},
		{"late bid in the exchange's response", "did not bid on time", func(m map[string]any) {
			out := obj(m, "response")
			out["seatbid"] = append(out["seatbid"].([]any), obj(resp(m, 3), "unread_response")["seatbid"].([]any)[0])
		}},
		{"204 with a body", "HTTP 204", func(m map[string]any) {
			r := resp(m, 4)
			r["response"] = map[string]any{"id": "3", "nbr": 0}
		}},
		{"seatnonbid disagrees", "notice says", func(m map[string]any) {
			for _, x := range obj(m, "response", "ext", "prebid")["seatnonbid"].([]any) {
				x.(map[string]any)["nonbid"].([]any)[0].(map[string]any)["statuscode"] = 100
			}
		}},
		{"seatnonbid missing", "no entry for", func(m map[string]any) { delete(obj(m, "response", "ext"), "prebid") }},
		{"response time missing", "responsetimemillis.late", func(m map[string]any) {
			delete(obj(m, "response", "ext", "responsetimemillis"), "late")
		}},
		{"unknown status", "none of the simulation's words", func(m map[string]any) { resp(m, 2)["status"] = "lost" }},
		{"unknown non-bid", "not on the list", func(m map[string]any) { obj(resp(m, 5), "notice")["nonbid"] = 102 }},
		{"seat not called", "not in request.imp", func(m map[string]any) { resp(m, 1)["seat"] = "off" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(good, &m); err != nil {
				t.Fatal(err)
			}
			c.edit(m)
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			err = Validate(b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %q", err, c.want)
			}
		})
	}
	if err := Validate([]byte(`{"request":`)); err == nil {
		t.Error("broken JSON passes")
	}
}

func obj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m = m[k].(map[string]any)
	}
	return m
}

func imp(req map[string]any) map[string]any { return req["imp"].([]any)[0].(map[string]any) }

func resp(m map[string]any, i int) map[string]any {
	return m["responses"].([]any)[i].(map[string]any)
}

func bid(r map[string]any) map[string]any {
	return r["seatbid"].([]any)[0].(map[string]any)["bid"].([]any)[0].(map[string]any)
}
