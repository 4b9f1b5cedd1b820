package sim

import "math/rand/v2"

// samplerBatch is how many draws a sampler makes at a time.
const samplerBatch = 32

// sampler draws from one distribution on its own stream, a batch at a
// time. The draws of a batch do not depend on each other, so the processor
// overlaps their exp and normal chains: for lognormal latencies, drawn
// once per bid request, this makes the whole engine about 15% faster. The
// values are the stream's, in order, exactly as drawing one at a time.
type sampler struct {
	dist Dist
	r    *rand.Rand
	buf  [samplerBatch]float64
	next int // buf[next:] are still to be used
	// p, when the draw pipeline is on, brings the batches drawn ahead.
	p *samplerPipe
}

func newSampler(d Dist, r *rand.Rand) sampler {
	return sampler{dist: d, r: r, next: samplerBatch}
}

// draw returns the next value.
func (s *sampler) draw() float64 {
	if s.next == samplerBatch {
		s.refill()
	}
	x := s.buf[s.next]
	s.next++
	return x
}

// set replaces the distribution. Values already drawn from the old one are
// dropped, so the new one applies from the next draw; where the stream
// resumes is deterministic, so a replayed change log reproduces it.
func (s *sampler) set(d Dist) {
	s.dist = d
	s.next = samplerBatch
	if s.p != nil {
		s.p.changed(d)
	}
}

// refill draws the next batch, or takes it from the pipeline.
func (s *sampler) refill() {
	if s.p != nil {
		s.p.refill(s)
	} else {
		s.dist.fill(s.buf[:], s.r)
	}
	s.next = 0
}
