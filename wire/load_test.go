package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestLoadRateIsSentNotAnswered: a load's "rate" is the rate it sent at
// and answered_per_second the rate it was answered at (the answers over
// answered_seconds, to the last answer): with answers held back they differ, where loadgen
// gave only the sending rate, which read as the server's throughput.
// The server holds every answer until the last request has arrived and
// then as long again as the load has taken so far, so that the elapsed
// time is at least twice the sending span whatever the machine's speed:
// N answers over it are fewer a second than the N−1 gaps over the span.
func TestLoadRateIsSentNotAnswered(t *testing.T) {
	const n = 4
	var (
		mu      sync.Mutex
		arrived int
		release = make(chan struct{})
	)
	t0 := time.Now() // no later than the load's start
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived++
		last := arrived == n
		mu.Unlock()
		if last {
			time.Sleep(time.Since(t0))
			close(release)
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Load(ctx, LoadOptions{URLs: []string{ts.URL}, Rate: 100, Count: n, TmaxMS: 30_000})
	if err != nil || res.Sent != n || res.Answered != n {
		t.Fatalf("load: %v; sent %d, answered %d of %d", err, res.Sent, res.Answered, n)
	}
	m := loadJSON(t, res)
	rate, ok1 := m["rate"].(float64)
	answered, ok2 := m["answered_per_second"].(float64)
	span, _ := m["answered_seconds"].(float64)
	if !ok1 || !ok2 || !(rate > 0) {
		t.Fatalf("rate %v, answered_per_second %v: want both numbers", m["rate"], m["answered_per_second"])
	}
	if want := n / span; math.Abs(answered-want) > 1e-9*want {
		t.Errorf("answered_per_second %g, want the %d answers over answered_seconds %g = %g", answered, n, span, want)
	}
	if !(answered < rate) {
		t.Errorf("answered_per_second %g not below rate %g with every answer held past the last send", answered, rate)
	}
}

// TestLoadRateOfOneIsNull: one request sent has no gap to time: its rate
// is unknown, null, where it read 1 over a few µs (some 300,000 a
// second); what was answered is still a rate.
func TestLoadRateOfOneIsNull(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Load(ctx, LoadOptions{URLs: []string{serve(t, http.NotFoundHandler()).URL}, Rate: 100, Count: 1, TmaxMS: 1000})
	if err != nil || res.Answered != 1 {
		t.Fatalf("load of one: %v, %+v", err, res)
	}
	m := loadJSON(t, res)
	if v, ok := m["rate"]; !ok || v != nil {
		t.Errorf("rate of one request sent: %v, want null", v)
	}
	if v, ok := m["answered_per_second"].(float64); !ok || !(v > 0) {
		t.Errorf("answered_per_second of one request answered: %v, want a number > 0", m["answered_per_second"])
	}
}

// loadJSON is res as loadgen writes it, decoded.
func loadJSON(t *testing.T, res LoadResult) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLoad(&buf, res); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	return m
}

// TestLoadAnsweredRateLeavesOutTheGiveUps: a request never answered (a
// bidder's hangs) holds the load open until it is given up, tmax + GiveUp
// after its send, but answered_per_second is the answers over the time to
// the last answer (answered_seconds), not over elapsed_seconds, as if
// the server had fallen behind while it waited for the give-ups.
func TestLoadAnsweredRateLeavesOutTheGiveUps(t *testing.T) {
	quick := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	stop := make(chan struct{})
	mute := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // never answers: gone when the client gives up, or at the end
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop) }) // before the server's Close, which awaits its handlers
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const giveUp = 2 * time.Second
	res, err := Load(ctx, LoadOptions{URLs: []string{quick.URL, mute.URL}, Rate: 200, Count: 10, TmaxMS: 100, GiveUp: giveUp})
	if err != nil || res.Answered != 5 || res.Failed != 5 {
		t.Fatalf("load: %v; answered %d, failed %d, want 5 and 5", err, res.Answered, res.Failed)
	}
	m := loadJSON(t, res)
	answered, _ := m["answered_per_second"].(float64)
	span, _ := m["answered_seconds"].(float64)
	elapsed, _ := m["elapsed_seconds"].(float64)
	// The give-ups end the load at least tmax + giveUp after the last
	// send; the answers came at once (a second is generous for them).
	if !(span > 0) || span > elapsed-time.Second.Seconds() {
		t.Fatalf("answered_seconds %v, elapsed_seconds %v: want the last answer well before the give-ups", m["answered_seconds"], elapsed)
	}
	if want := 5 / span; math.Abs(answered-want) > 1e-9*want {
		t.Errorf("answered_per_second %g, want the 5 answers over answered_seconds %g = %g (over elapsed_seconds: %g)", answered, span, want, 5/elapsed)
	}
}
