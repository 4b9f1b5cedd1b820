package wire

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/auctionsim/auctionsim/report/openrtb"
)

// The fast paths of the OpenRTB bodies (fastjson.go says why and how):
// readBidRequest and readBidResponse, each reporting false for what
// encoding/json must read; appendBidResponse and appendBidRequest, which
// write what encoding/json writes (HTML escaping off).

// readBidRequest reads body into r as json.Unmarshal would, or reports
// false, r then partly filled.
func readBidRequest(body []byte, r *openrtb.BidRequest) bool {
	s := &scanner{b: body}
	var seen uint32
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return once(&seen, 0) && s.strTo(&r.ID)
		case "imp":
			if !once(&seen, 1) {
				return false
			}
			r.Imp = []openrtb.Imp{}
			return s.array(func() bool {
				r.Imp = append(r.Imp, openrtb.Imp{})
				return readImp(s, &r.Imp[len(r.Imp)-1])
			})
		case "site":
			if !once(&seen, 2) {
				return false
			}
			r.Site = new(openrtb.Site)
			return readSite(s, r.Site)
		case "device":
			if !once(&seen, 3) {
				return false
			}
			r.Device = new(openrtb.Device)
			var in uint32
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "ua":
					return once(&in, 0) && s.strTo(&r.Device.UA)
				case "ip":
					return once(&in, 1) && s.strTo(&r.Device.IP)
				case "ext":
					return once(&in, 2) && s.rawTo(&r.Device.Ext)
				}
				return false
			})
		case "user":
			if !once(&seen, 4) {
				return false
			}
			r.User = new(openrtb.User)
			var in uint32
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "id":
					return once(&in, 0) && s.strTo(&r.User.ID)
				case "buyeruid":
					return once(&in, 1) && s.strTo(&r.User.BuyerUID)
				case "ext":
					return once(&in, 2) && s.rawTo(&r.User.Ext)
				}
				return false
			})
		case "test":
			n, ok := s.int(8)
			r.Test = int8(n)
			return once(&seen, 5) && ok
		case "at":
			n, ok := s.int(64)
			r.AT = n
			return once(&seen, 6) && ok
		case "tmax":
			n, ok := s.int(64)
			r.TMax = n
			return once(&seen, 7) && ok
		case "cur":
			if !once(&seen, 8) {
				return false
			}
			r.Cur = []string{}
			return s.array(func() bool {
				v, ok := s.str()
				r.Cur = append(r.Cur, v)
				return ok
			})
		case "source":
			if !once(&seen, 9) {
				return false
			}
			r.Source = new(openrtb.Source)
			var in uint32
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "fd":
					n, ok := s.int(8)
					v := int8(n)
					r.Source.FD = &v
					return once(&in, 0) && ok
				case "tid":
					return once(&in, 1) && s.strTo(&r.Source.TID)
				case "ext":
					return once(&in, 2) && s.rawTo(&r.Source.Ext)
				}
				return false
			})
		case "ext":
			return once(&seen, 10) && s.rawTo(&r.Ext)
		}
		return false
	})
	return ok && s.end()
}

func readImp(s *scanner, m *openrtb.Imp) bool {
	var seen uint32
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return once(&seen, 0) && s.strTo(&m.ID)
		case "banner":
			if !once(&seen, 1) {
				return false
			}
			m.Banner = new(openrtb.Banner)
			return readBanner(s, m.Banner)
		case "tagid":
			return once(&seen, 2) && s.strTo(&m.TagID)
		case "bidfloor":
			f, ok := s.float()
			m.BidFloor = f
			return once(&seen, 3) && ok
		case "bidfloorcur":
			return once(&seen, 4) && s.strTo(&m.BidFloorCur)
		case "secure":
			n, ok := s.int(8)
			v := int8(n)
			m.Secure = &v
			return once(&seen, 5) && ok
		case "ext":
			return once(&seen, 6) && s.rawTo(&m.Ext)
		}
		return false
	})
}

func readBanner(s *scanner, b *openrtb.Banner) bool {
	var seen uint32
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "format":
			if !once(&seen, 0) {
				return false
			}
			b.Format = []openrtb.Format{}
			return s.array(func() bool {
				b.Format = append(b.Format, openrtb.Format{})
				f := &b.Format[len(b.Format)-1]
				var in uint32
				return s.object(func(k []byte) bool {
					switch string(k) {
					case "w":
						n, ok := s.int(64)
						f.W = n
						return once(&in, 0) && ok
					case "h":
						n, ok := s.int(64)
						f.H = n
						return once(&in, 1) && ok
					case "ext":
						return once(&in, 2) && s.rawTo(&f.Ext)
					}
					return false
				})
			})
		case "w":
			n, ok := s.int(64)
			b.W = &n
			return once(&seen, 1) && ok
		case "h":
			n, ok := s.int(64)
			b.H = &n
			return once(&seen, 2) && ok
		case "ext":
			return once(&seen, 3) && s.rawTo(&b.Ext)
		}
		return false
	})
}

func readSite(s *scanner, site *openrtb.Site) bool {
	var seen uint32
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return once(&seen, 0) && s.strTo(&site.ID)
		case "name":
			return once(&seen, 1) && s.strTo(&site.Name)
		case "domain":
			return once(&seen, 2) && s.strTo(&site.Domain)
		case "page":
			return once(&seen, 3) && s.strTo(&site.Page)
		case "ref":
			return once(&seen, 4) && s.strTo(&site.Ref)
		case "publisher":
			if !once(&seen, 5) {
				return false
			}
			p := new(openrtb.Publisher)
			site.Publisher = p
			var in uint32
			return s.object(func(k []byte) bool {
				switch string(k) {
				case "id":
					return once(&in, 0) && s.strTo(&p.ID)
				case "name":
					return once(&in, 1) && s.strTo(&p.Name)
				case "domain":
					return once(&in, 2) && s.strTo(&p.Domain)
				case "ext":
					return once(&in, 3) && s.rawTo(&p.Ext)
				}
				return false
			})
		case "ext":
			return once(&seen, 6) && s.rawTo(&site.Ext)
		}
		return false
	})
}

// readBidResponse reads body into r as json.Unmarshal would, or reports
// false, r then partly filled.
func readBidResponse(body []byte, r *openrtb.BidResponse) bool {
	s := &scanner{b: body}
	var seen uint32
	ok := s.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return once(&seen, 0) && s.strTo(&r.ID)
		case "seatbid":
			if !once(&seen, 1) {
				return false
			}
			r.SeatBid = []openrtb.SeatBid{}
			return s.array(func() bool {
				r.SeatBid = append(r.SeatBid, openrtb.SeatBid{})
				return readSeatBid(s, &r.SeatBid[len(r.SeatBid)-1])
			})
		case "bidid":
			return once(&seen, 2) && s.strTo(&r.BidID)
		case "cur":
			return once(&seen, 3) && s.strTo(&r.Cur)
		case "nbr":
			n, ok := s.int(64)
			v := openrtb.NoBidReason(n)
			r.NBR = &v
			return once(&seen, 4) && ok
		case "ext":
			return once(&seen, 5) && s.rawTo(&r.Ext)
		}
		return false
	})
	return ok && s.end()
}

func readSeatBid(s *scanner, sb *openrtb.SeatBid) bool {
	var seen uint32
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "bid":
			if !once(&seen, 0) {
				return false
			}
			sb.Bid = []openrtb.Bid{}
			return s.array(func() bool {
				sb.Bid = append(sb.Bid, openrtb.Bid{})
				return readBid(s, &sb.Bid[len(sb.Bid)-1])
			})
		case "seat":
			return once(&seen, 1) && s.strTo(&sb.Seat)
		case "ext":
			return once(&seen, 2) && s.rawTo(&sb.Ext)
		}
		return false
	})
}

func readBid(s *scanner, b *openrtb.Bid) bool {
	var seen uint32
	return s.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return once(&seen, 0) && s.strTo(&b.ID)
		case "impid":
			return once(&seen, 1) && s.strTo(&b.ImpID)
		case "price":
			f, ok := s.float()
			b.Price = f
			return once(&seen, 2) && ok
		case "nurl":
			return once(&seen, 3) && s.strTo(&b.NURL)
		case "burl":
			return once(&seen, 4) && s.strTo(&b.BURL)
		case "lurl":
			return once(&seen, 5) && s.strTo(&b.LURL)
		case "adm":
			return once(&seen, 6) && s.strTo(&b.AdM)
		case "adid":
			return once(&seen, 7) && s.strTo(&b.AdID)
		case "adomain":
			if !once(&seen, 8) {
				return false
			}
			b.ADomain = []string{}
			return s.array(func() bool {
				v, ok := s.str()
				b.ADomain = append(b.ADomain, v)
				return ok
			})
		case "cid":
			return once(&seen, 9) && s.strTo(&b.CID)
		case "crid":
			return once(&seen, 10) && s.strTo(&b.CrID)
		case "w":
			n, ok := s.int(64)
			b.W = n
			return once(&seen, 11) && ok
		case "h":
			n, ok := s.int(64)
			b.H = n
			return once(&seen, 12) && ok
		case "mtype":
			n, ok := s.int(8)
			b.MType = openrtb.MarkupType(n)
			return once(&seen, 13) && ok
		case "ext":
			return once(&seen, 14) && s.rawTo(&b.Ext)
		}
		return false
	})
}

func (s *scanner) strTo(p *string) bool {
	v, ok := s.str()
	*p = v
	return ok
}

func (s *scanner) rawTo(p *json.RawMessage) bool {
	v, ok := s.raw()
	*p = v
	return ok
}

// appendBidResponse appends r as a json.Encoder with HTML escaping off
// writes it, the newline included, or reports false for what only
// encoding/json writes (a float it refuses; fields the fast path leaves
// out: a bid's or response's ext that is not a plain object).
func appendBidResponse(b []byte, r *openrtb.BidResponse) ([]byte, bool) {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	if len(r.SeatBid) > 0 {
		b = append(b, `,"seatbid":[`...)
		for i := range r.SeatBid {
			sb := &r.SeatBid[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"bid":`...)
			if sb.Bid == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for j := range sb.Bid {
					if j > 0 {
						b = append(b, ',')
					}
					var ok bool
					if b, ok = appendBid(b, &sb.Bid[j]); !ok {
						return b, false
					}
				}
				b = append(b, ']')
			}
			b = appendStringField(b, "seat", sb.Seat)
			var ok bool
			if b, ok = appendRaw(b, "ext", sb.Ext); !ok {
				return b, false
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendStringField(b, "bidid", r.BidID)
	b = appendStringField(b, "cur", r.Cur)
	if r.NBR != nil {
		b = append(b, `,"nbr":`...)
		b = strconv.AppendInt(b, int64(*r.NBR), 10)
	}
	b, ok := appendRaw(b, "ext", r.Ext)
	return append(b, "}\n"...), ok
}

func appendBid(b []byte, bid *openrtb.Bid) ([]byte, bool) {
	if math.IsInf(bid.Price, 0) || math.IsNaN(bid.Price) {
		return b, false
	}
	b = append(b, `{"id":`...)
	b = appendString(b, bid.ID)
	b = append(b, `,"impid":`...)
	b = appendString(b, bid.ImpID)
	b = append(b, `,"price":`...)
	b = appendFloat(b, bid.Price)
	b = appendStringField(b, "nurl", bid.NURL)
	b = appendStringField(b, "burl", bid.BURL)
	b = appendStringField(b, "lurl", bid.LURL)
	b = appendStringField(b, "adm", bid.AdM)
	b = appendStringField(b, "adid", bid.AdID)
	if len(bid.ADomain) > 0 {
		b = append(b, `,"adomain":[`...)
		for i, d := range bid.ADomain {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, d)
		}
		b = append(b, ']')
	}
	b = appendStringField(b, "cid", bid.CID)
	b = appendStringField(b, "crid", bid.CrID)
	b = appendIntField(b, "w", bid.W)
	b = appendIntField(b, "h", bid.H)
	b = appendIntField(b, "mtype", int64(bid.MType))
	b, ok := appendRaw(b, "ext", bid.Ext)
	return append(b, '}'), ok
}

func appendStringField(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendIntField(b []byte, key string, v int64) []byte {
	if v == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, v, 10)
}

// appendRaw appends a RawMessage field: encoding/json compacts it, so
// only one already compact, with no string escapes, is taken here.
func appendRaw(b []byte, key string, v json.RawMessage) ([]byte, bool) {
	if len(v) == 0 {
		return b, true
	}
	if !compactPlain(v) {
		return b, false
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return append(b, v...), true
}

// compactPlain reports whether v is one JSON value with no whitespace
// outside its strings and no escapes or HTML-special bytes in them:
// encoding/json then writes it as it is.
func compactPlain(v json.RawMessage) bool {
	s := &scanner{b: v}
	if !s.skip(0) || s.i != len(v) {
		return false
	}
	for _, c := range v {
		switch c {
		case ' ', '\t', '\n', '\r':
			return false // perhaps inside a string, where it would be fine: not worth telling
		}
	}
	return true
}

// appendBidRequest appends r as json.Marshal writes it (HTML escaping
// on: '<', '>' and '&' in strings become \u003c and so on), or reports
// false for what only encoding/json writes.
func appendBidRequest(b []byte, r *openrtb.BidRequest) ([]byte, bool) {
	if !htmlPlainRequest(r) {
		return b, false
	}
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"imp":`...)
	if r.Imp == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Imp {
			m := &r.Imp[i]
			if math.IsInf(m.BidFloor, 0) || math.IsNaN(m.BidFloor) || m.Banner != nil && m.Banner.Format != nil ||
				m.Secure != nil || len(m.Ext) > 0 || m.Banner != nil && len(m.Banner.Ext) > 0 {
				return b, false
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendString(b, m.ID)
			if bn := m.Banner; bn != nil {
				b = append(b, `,"banner":{`...)
				comma := false
				if bn.W != nil {
					b = append(b, `"w":`...)
					b = strconv.AppendInt(b, *bn.W, 10)
					comma = true
				}
				if bn.H != nil {
					if comma {
						b = append(b, ',')
					}
					b = append(b, `"h":`...)
					b = strconv.AppendInt(b, *bn.H, 10)
				}
				b = append(b, '}')
			}
			b = appendStringField(b, "tagid", m.TagID)
			if m.BidFloor != 0 {
				b = append(b, `,"bidfloor":`...)
				b = appendFloat(b, m.BidFloor)
			}
			b = appendStringField(b, "bidfloorcur", m.BidFloorCur)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if st := r.Site; st != nil {
		if st.Publisher != nil || len(st.Ext) > 0 {
			return b, false
		}
		b = append(b, `,"site":{`...)
		n := len(b)
		b = appendStringField(b, "id", st.ID)
		b = appendStringField(b, "name", st.Name)
		b = appendStringField(b, "domain", st.Domain)
		b = appendStringField(b, "page", st.Page)
		b = appendStringField(b, "ref", st.Ref)
		if len(b) > n {
			copy(b[n:], b[n+1:]) // the first field's comma
			b = b[:len(b)-1]
		}
		b = append(b, '}')
	}
	if r.Device != nil || len(r.Ext) > 0 {
		return b, false
	}
	if u := r.User; u != nil {
		if u.BuyerUID != "" || len(u.Ext) > 0 {
			return b, false
		}
		b = append(b, `,"user":{`...)
		if u.ID != "" {
			b = append(b, `"id":`...)
			b = appendString(b, u.ID)
		}
		b = append(b, '}')
	}
	b = appendIntField(b, "test", int64(r.Test))
	b = appendIntField(b, "at", r.AT)
	b = appendIntField(b, "tmax", r.TMax)
	if len(r.Cur) > 0 {
		b = append(b, `,"cur":[`...)
		for i, c := range r.Cur {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, c)
		}
		b = append(b, ']')
	}
	if src := r.Source; src != nil {
		if src.FD != nil || len(src.Ext) > 0 {
			return b, false
		}
		b = append(b, `,"source":{`...)
		if src.TID != "" {
			b = append(b, `"tid":`...)
			b = appendString(b, src.TID)
		}
		b = append(b, '}')
	}
	return append(b, '}'), true
}

// htmlPlainRequest reports whether r's strings have nothing json.Marshal
// escapes as HTML ('<', '>', '&'), which appendString leaves as they are.
func htmlPlainRequest(r *openrtb.BidRequest) bool {
	plain := func(ss ...string) bool {
		for _, s := range ss {
			for i := 0; i < len(s); i++ {
				if c := s[i]; c == '<' || c == '>' || c == '&' {
					return false
				}
			}
		}
		return true
	}
	for i := range r.Imp {
		if !plain(r.Imp[i].ID, r.Imp[i].TagID, r.Imp[i].BidFloorCur) {
			return false
		}
	}
	if st := r.Site; st != nil && !plain(st.ID, st.Name, st.Domain, st.Page, st.Ref) {
		return false
	}
	if r.Source != nil && !plain(r.Source.TID) {
		return false
	}
	return plain(r.ID) && plain(r.Cur...)
}

// readValueExt reads the value an auctionsim bidder states,
// {"auctionsim":{"value":V}}, as json.Unmarshal would into valueOf's
// struct, or reports false.
func readValueExt(ext []byte) (float64, bool) {
	s := &scanner{b: ext}
	var v float64
	var seen uint32
	ok := s.object(func(k []byte) bool {
		if string(k) != "auctionsim" || !once(&seen, 0) {
			return false
		}
		var in uint32
		return s.object(func(k []byte) bool {
			if string(k) != "value" || !once(&in, 0) {
				return false
			}
			f, ok := s.float()
			v = f
			return ok
		})
	})
	return v, ok && s.end()
}
