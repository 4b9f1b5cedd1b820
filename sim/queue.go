package sim

// eventKind says what an event does when it fires.
type eventKind uint8

const (
	evClose      eventKind = iota + 1 // an auction's deadline: resolve it
	evConversion                      // a conversion matures
	evPacing                          // pacing controllers update
)

// event is one entry of the engine's queue. It is a small value type so the
// queue is one flat slice with no pointers for the garbage collector.
type event struct {
	at  Time
	seq uint64 // ties at the same instant fire in scheduling order
	ref int32  // auction slot, or bidder index for conversions
	arg int32  // conversion: convCaused (else organic), | convOutside (unattributed)
	// person is a conversion's person (0: none): a holdout by person
	// counts it in the person's arm when it matures. It fits in the
	// padding: the event stays 32 bytes.
	person uint32
	kind   eventKind
}

// before orders events by (time, sequence number), as SimPy does.
func (a *event) before(b *event) bool {
	return a.at < b.at || a.at == b.at && a.seq < b.seq
}

// eventQueue is a typed binary min-heap of events. It avoids
// container/heap's interface calls and boxing, which cost an allocation and
// several indirect calls per operation on the engine's hot path.
type eventQueue struct {
	h []event
}

func (q *eventQueue) Len() int { return len(q.h) }

// top returns the earliest event; the queue must not be empty.
func (q *eventQueue) top() *event { return &q.h[0] }

func (q *eventQueue) push(ev event) {
	q.h = append(q.h, ev)
	h := q.h
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

// pop removes and returns the earliest event; the queue must not be empty.
func (q *eventQueue) pop() event {
	h := q.h
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	q.h = h[:last]
	q.down(0)
	return top
}

// eachBefore calls fn on every event earlier than now, leaving the queue
// as it is (a snapshot reads what is due without taking it out). It walks
// only the heap's top: nothing below an event at now or later is earlier.
func (q *eventQueue) eachBefore(now Time, fn func(*event)) {
	var walk func(i int)
	walk = func(i int) {
		if i >= len(q.h) || q.h[i].at >= now {
			return
		}
		fn(&q.h[i])
		walk(2*i + 1)
		walk(2*i + 2)
	}
	walk(0)
}

func (q *eventQueue) down(i int) {
	h := q.h
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h[r].before(&h[l]) {
			m = r
		}
		if !h[m].before(&h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// eventFIFO holds events scheduled in non-decreasing time order. Auction
// closes are: every auction closes tmax after its fan-out, so while tmax
// holds still they arrive already sorted, and a FIFO serves them in O(1)
// instead of O(log n) heap operations. An event that would break the order
// (after tmax is lowered) goes to the heap instead.
type eventFIFO struct {
	buf  []event
	head int
}

func (f *eventFIFO) Len() int { return len(f.buf) - f.head }

// front returns the earliest event; the FIFO must not be empty.
func (f *eventFIFO) front() *event { return &f.buf[f.head] }

// accepts reports whether ev can be appended without breaking the order.
func (f *eventFIFO) accepts(ev *event) bool {
	return f.Len() == 0 || f.buf[len(f.buf)-1].at <= ev.at
}

func (f *eventFIFO) push(ev event) {
	if f.head > 0 && len(f.buf) == cap(f.buf) {
		// Slide down rather than grow: the FIFO stays as long as the
		// number of auctions in flight.
		n := copy(f.buf, f.buf[f.head:])
		f.buf, f.head = f.buf[:n], 0
	}
	f.buf = append(f.buf, ev)
}

func (f *eventFIFO) pop() event {
	ev := f.buf[f.head]
	f.head++
	if f.head == len(f.buf) {
		f.buf, f.head = f.buf[:0], 0
	}
	return ev
}
