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
	ok := s.fields(
		field{"id", &r.ID},
		field{"imp", &r.Imp},
		field{"site", &r.Site},
		field{"device", &r.Device},
		field{"user", &r.User},
		field{"test", &r.Test},
		field{"at", &r.AT},
		field{"tmax", &r.TMax},
		field{"cur", &r.Cur},
		field{"source", &r.Source},
		field{"ext", &r.Ext},
	)
	return ok && s.end()
}

func readImp(s *scanner, m *openrtb.Imp) bool {
	return s.fields(
		field{"id", &m.ID},
		field{"banner", &m.Banner},
		field{"tagid", &m.TagID},
		field{"bidfloor", &m.BidFloor},
		field{"bidfloorcur", &m.BidFloorCur},
		field{"secure", &m.Secure},
		field{"ext", &m.Ext},
	)
}

func readBanner(s *scanner, b *openrtb.Banner) bool {
	return s.fields(
		field{"format", &b.Format},
		field{"w", &b.W},
		field{"h", &b.H},
		field{"ext", &b.Ext},
	)
}

func readFormat(s *scanner, f *openrtb.Format) bool {
	return s.fields(field{"w", &f.W}, field{"h", &f.H}, field{"ext", &f.Ext})
}

func readSite(s *scanner, site *openrtb.Site) bool {
	return s.fields(
		field{"id", &site.ID},
		field{"name", &site.Name},
		field{"domain", &site.Domain},
		field{"page", &site.Page},
		field{"ref", &site.Ref},
		field{"publisher", &site.Publisher},
		field{"ext", &site.Ext},
	)
}

func readPublisher(s *scanner, p *openrtb.Publisher) bool {
	return s.fields(field{"id", &p.ID}, field{"name", &p.Name}, field{"domain", &p.Domain}, field{"ext", &p.Ext})
}

func readDevice(s *scanner, d *openrtb.Device) bool {
	return s.fields(field{"ua", &d.UA}, field{"ip", &d.IP}, field{"ext", &d.Ext})
}

func readUser(s *scanner, u *openrtb.User) bool {
	return s.fields(field{"id", &u.ID}, field{"buyeruid", &u.BuyerUID}, field{"ext", &u.Ext})
}

func readSource(s *scanner, src *openrtb.Source) bool {
	return s.fields(field{"fd", &src.FD}, field{"tid", &src.TID}, field{"ext", &src.Ext})
}

// readBidResponse reads body into r as json.Unmarshal would, or reports
// false, r then partly filled.
func readBidResponse(body []byte, r *openrtb.BidResponse) bool {
	s := &scanner{b: body}
	ok := s.fields(
		field{"id", &r.ID},
		field{"seatbid", &r.SeatBid},
		field{"bidid", &r.BidID},
		field{"cur", &r.Cur},
		field{"nbr", &r.NBR},
		field{"ext", &r.Ext},
	)
	return ok && s.end()
}

func readSeatBid(s *scanner, sb *openrtb.SeatBid) bool {
	return s.fields(
		field{"bid", &sb.Bid},
		field{"seat", &sb.Seat},
		field{"ext", &sb.Ext},
	)
}

func readBid(s *scanner, b *openrtb.Bid) bool {
	return s.fields(
		field{"id", &b.ID},
		field{"impid", &b.ImpID},
		field{"price", &b.Price},
		field{"nurl", &b.NURL},
		field{"burl", &b.BURL},
		field{"lurl", &b.LURL},
		field{"adm", &b.AdM},
		field{"adid", &b.AdID},
		field{"adomain", &b.ADomain},
		field{"cid", &b.CID},
		field{"crid", &b.CrID},
		field{"w", &b.W},
		field{"h", &b.H},
		field{"mtype", &b.MType},
		field{"ext", &b.Ext},
	)
}

// field is one key an object takes, and where its value goes: to is a
// pointer to a field of one of the types value reads (the object readers
// are tables of these, one line a field, in the order the writers write
// them).
type field struct {
	key string
	to  any
}

// fields reads an object whose keys are among fs', each at most once,
// each value into its field's to; false for any other key. fs is a table
// the caller builds on its stack: the pointers in an any do not allocate.
func (s *scanner) fields(fs ...field) bool {
	var seen uint32
	next := 0 // the key expected next: the writers write them in fs' order
	return s.object(func(k []byte) bool {
		i := next
		if i >= len(fs) || fs[i].key != string(k) {
			for i = 0; i < len(fs) && fs[i].key != string(k); i++ {
			}
			if i == len(fs) {
				return false
			}
		}
		next = i + 1
		return once(&seen, uint(i)) && s.value(fs[i].to)
	})
}

// value reads one value into to as encoding/json reads it into to's
// type: a pointer field is set only when its key is there, a slice is
// non-nil once its key is.
func (s *scanner) value(to any) bool {
	if p, ok := to.(*string); ok { // most fields: ahead of the switch, for speed
		v, ok := s.str()
		*p = v
		return ok
	}
	switch p := to.(type) {
	case *[]openrtb.Imp:
		return readArray(s, p)
	case *[]openrtb.Format:
		return readArray(s, p)
	case *[]openrtb.SeatBid:
		return readArray(s, p)
	case *[]openrtb.Bid:
		return readArray(s, p)
	case **openrtb.Banner:
		return readNew(s, p)
	case **openrtb.Site:
		return readNew(s, p)
	case **openrtb.Publisher:
		return readNew(s, p)
	case **openrtb.Device:
		return readNew(s, p)
	case **openrtb.User:
		return readNew(s, p)
	case **openrtb.Source:
		return readNew(s, p)
	case *openrtb.Imp:
		return readImp(s, p)
	case *openrtb.Format:
		return readFormat(s, p)
	case *openrtb.SeatBid:
		return readSeatBid(s, p)
	case *openrtb.Bid:
		return readBid(s, p)
	case *openrtb.Banner:
		return readBanner(s, p)
	case *openrtb.Site:
		return readSite(s, p)
	case *openrtb.Publisher:
		return readPublisher(s, p)
	case *openrtb.Device:
		return readDevice(s, p)
	case *openrtb.User:
		return readUser(s, p)
	case *openrtb.Source:
		return readSource(s, p)
	case *json.RawMessage:
		v, ok := s.raw()
		*p = v
		return ok
	case *float64:
		f, ok := s.float()
		*p = f
		return ok
	case *int64:
		n, ok := s.int(64)
		*p = n
		return ok
	case **int64:
		n, ok := s.int(64)
		*p = &n
		return ok
	case *int8:
		n, ok := s.int(8)
		*p = int8(n)
		return ok
	case **int8:
		n, ok := s.int(8)
		v := int8(n)
		*p = &v
		return ok
	case *openrtb.MarkupType:
		n, ok := s.int(8)
		*p = openrtb.MarkupType(n)
		return ok
	case **openrtb.NoBidReason:
		n, ok := s.int(64)
		v := openrtb.NoBidReason(n)
		*p = &v
		return ok
	case *[]string:
		*p = []string{}
		return s.array(func() bool {
			v, ok := s.str()
			*p = append(*p, v)
			return ok
		})
	}
	panic("wire: field of a type value does not read") // the tables above are wrong
}

// readNew reads an object into a new T at *p (value reads a T).
func readNew[T any](s *scanner, p **T) bool {
	*p = new(T)
	return s.value(*p)
}

// readArray reads an array of objects into *p, non-nil even when empty
// (value reads a T).
func readArray[T any](s *scanner, p *[]T) bool {
	*p = []T{}
	return s.array(func() bool {
		var zero T
		*p = append(*p, zero)
		return s.value(&(*p)[len(*p)-1])
	})
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
