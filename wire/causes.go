package wire

import (
	"maps"
	"strconv"
	"sync"
)

// Why a bid request on the wire ended in an error or was refused
// (WireStats.ErrorsByCause): a few words each, for a line under the table,
// from a set bounded whatever the bidders answer.
const (
	CauseRefused     = "connection refused"
	CauseBroken      = "connection broken"
	CauseUnreachable = "bad URL"
	CauseTooManyOpen = "too many calls open"
	CauseMalformed   = "malformed JSON"
	CauseCurrency    = "currency not USD"
	CauseNoBidID     = "bid without id"
	CauseNoImpID     = "bid without impid"
	CauseNoCrID      = "bid without crid"
	CauseTinyPrice   = "price below 0.000001 CPM"
)

// CauseStatus is the cause of an answer with an HTTP status other than
// 200 or 204 ("HTTP 500").
func CauseStatus(code int) string { return "HTTP " + strconv.Itoa(code) }

// causes counts errors by cause.
type causes struct {
	mu sync.Mutex
	n  map[string]uint64
}

// errorCause counts one error of cause why ("" counts nothing).
func (x *Exchange) errorCause(why string) {
	if why == "" {
		return
	}
	x.causes.mu.Lock()
	if x.causes.n == nil {
		x.causes.n = map[string]uint64{}
	}
	x.causes.n[why]++
	x.causes.mu.Unlock()
}

// errorCauses is a copy of the counts, nil with none.
func (x *Exchange) errorCauses() map[string]uint64 {
	x.causes.mu.Lock()
	defer x.causes.mu.Unlock()
	return maps.Clone(x.causes.n) // nil until errorCause counts one
}
