package sim

// Rate is the current mean ad-request rate: QPS × the daily shape's
// multiplier at the current instant (QPS without a shape). The header's
// qps figure under a daily shape.
func (e *Engine) Rate() float64 {
	if len(e.shape) == 0 {
		return e.qps
	}
	return e.qps * e.shapeAt(e.now)
}
