package sim

import "testing"

func TestStopReachedAndFraction(t *testing.T) {
	st := Stop{Auctions: 100, Duration: 10 * Second}
	if st.Reached(5*Second, 99) {
		t.Error("reached before either limit")
	}
	if !st.Reached(5*Second, 100) || !st.Reached(10*Second, 3) {
		t.Error("not reached at a limit")
	}
	if f := st.Fraction(5*Second, 80); f != 0.8 {
		t.Errorf("fraction = %g, want the larger share 0.8", f)
	}
	if (Stop{}).Reached(never, 1<<60) || (Stop{}).Fraction(Second, 1) != 0 {
		t.Error("a stop with no limit was reached")
	}
}

// RunStop in slices of events ends exactly where one RunTo does.
func TestRunStopSlicesMatchOneRun(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	whole, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	stop := Stop{Auctions: 5000, Duration: 3 * Second}
	whole.RunTo(stop.Duration, stop.Auctions)
	sliced, _ := New(cfg)
	slices := 0
	for !sliced.RunStop(stop, 7) {
		slices++
		if slices > 1e6 {
			t.Fatal("RunStop never reached the stop")
		}
	}
	if slices < 10 {
		t.Errorf("only %d slices: maxEvents was not honoured", slices)
	}
	a, b := whole.Snapshot(), sliced.Snapshot()
	if a.Now != b.Now || a.Events != b.Events || a.Exchange != b.Exchange {
		t.Errorf("sliced run ended at (%v, %d events, %+v), one run at (%v, %d, %+v)",
			b.Now, b.Events, b.Exchange, a.Now, a.Events, a.Exchange)
	}
}
