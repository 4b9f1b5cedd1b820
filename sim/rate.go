package sim

// Rate is the current mean ad-request rate: QPS × the daily shape's
// multiplier at the current instant (QPS without a shape). The header's
// qps figure under a daily shape.
func (e *Engine) Rate() float64 {
	if len(e.shape) == 0 {
		return e.qps * e.scale
	}
	return e.qps * e.scale * e.shapeAt(e.now)
}

// LastAuction returns the auction closed last, in full detail, as
// Snapshot's Recent holds it, without taking a snapshot: to stream
// auctions as they close, run one auction at a time and read each here.
// ok is false before any auction has closed.
func (e *Engine) LastAuction() (AuctionRecord, bool) {
	r := &e.recent
	if r.count == 0 || len(r.recs) == 0 {
		return AuctionRecord{}, false
	}
	k := (r.next - 1 + len(r.recs)) % len(r.recs)
	rec := r.recs[k]
	rec.Responses = append([]Response(nil), e.pool.responses(r.slots[k])...)
	rank(&rec, nil)
	return rec, true
}
