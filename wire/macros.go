package wire

import (
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// OpenRTB 2.6's substitution macros (§4.4) in the notice URLs a bid
// carries: the exchange replaces those it knows before it calls a URL. The
// bid's own are known when its answer is read (readMacros), the auction's
// at its close (closeMacros); a macro the exchange does not know (say
// ${AUCTION_MBR}) is left as it is. One it knows with no value, as the
// clearing price of an auction that went unfilled, is replaced with the
// empty string, as §4.4 has it ("if the source value is an optional
// parameter that was not specified, the macro will simply be removed
// (i.e., replaced with a zero-length string)"; lurl: "${AUCTION_PRICE}
// macros being removed (i.e., replaced with a zero-length string)").

// readMacros are the macros known when a bid is read: its BidResponse's
// bidid, its impid, its seat, its adid and the currency.
type readMacros struct {
	bidID, impID, seat, adID string
}

func (m *readMacros) value(name string) (string, bool) {
	switch name {
	case "AUCTION_BID_ID":
		return m.bidID, true
	case "AUCTION_IMP_ID":
		return m.impID, true
	case "AUCTION_SEAT_ID":
		return m.seat, true
	case "AUCTION_AD_ID":
		return m.adID, true
	case "AUCTION_CURRENCY":
		return openrtb.Currency, true
	}
	return "", false
}

// closeMacros are the macros known at the auction's close: its id, its
// clearing price ("" when it went unfilled: there is none), the loss
// reason (0 for the winner, OpenRTB's "bid won") and the minimum bid to
// win (minToWin; "" where the exchange gives none, which §4.4.1 writes as
// the empty string).
type closeMacros struct {
	auctionID, price, loss, minToWin string
}

func (m *closeMacros) value(name string) (string, bool) {
	switch name {
	case "AUCTION_ID":
		return m.auctionID, true
	case "AUCTION_PRICE":
		return m.price, true
	case "AUCTION_LOSS":
		return m.loss, true
	case "AUCTION_MIN_TO_WIN":
		return m.minToWin, true
	}
	return "", false
}

// expandMacros replaces in u each ${NAME} that value knows; u itself,
// unallocated, when it has none.
func expandMacros(u string, value func(name string) (string, bool)) string {
	var b strings.Builder
	last := 0 // u[:last] is in b
	for i := 0; ; {
		j := strings.Index(u[i:], "${")
		if j < 0 {
			break
		}
		start := i + j
		k := strings.IndexByte(u[start:], '}')
		if k < 0 {
			break
		}
		end := start + k + 1 // past the '}'
		if v, ok := value(u[start+2 : end-1]); ok {
			if b.Len() == 0 && last == 0 {
				b.Grow(len(u))
			}
			b.WriteString(u[last:start])
			b.WriteString(v)
			last = end
		}
		i = end
	}
	if last == 0 {
		return u
	}
	b.WriteString(u[last:])
	return b.String()
}

// minToWin is ${AUCTION_MIN_TO_WIN} for bidder i's notice of auction rec
// (OpenRTB 2.6 §4.4.1): for the winner, the price that ties the
// next-closest eligible bid, or the floor when its bid was the only one;
// for a loser on time, the price that ties the winner, which the spec's
// tables give as the clearing price (in a second-price auction, the
// second bid plus the increment), and the floor when nobody won. "" (no
// value) for a bid that was not priced against the others: late, or in an
// auction of several slots, whose slots' prices are not one price.
func minToWin(rec *sim.AuctionRecord, i int) string {
	if rec.Slots != nil {
		return ""
	}
	switch st := rec.Responses[i].Status; {
	case i == rec.Winner:
		return cpmText(max(rec.SecondBid, rec.Floor))
	case st != sim.OnTime && st != sim.BelowFloor:
		return ""
	case rec.Winner >= 0:
		return cpmText(rec.Price)
	}
	return cpmText(rec.Floor)
}

// cpmText is a price as the notice macros write it: its CPM, in as few
// digits as say it exactly ("1.5", not "1.500000").
func cpmText(p sim.Price) string { return strconv.FormatFloat(p.CPM(), 'f', -1, 64) }
