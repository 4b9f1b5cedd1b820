package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// LoadOptions describe an open-loop load: Count bid requests at Rate a
// second, spread evenly over URLs in turn, each with tmax TmaxMS.
type LoadOptions struct {
	URLs   []string
	Rate   float64
	Count  int
	TmaxMS int64
	// MaxInFlight bounds the requests open at once; 0: 4096.
	MaxInFlight int
	// GiveUp is how long past its tmax a request waits for its answer
	// before it is given up and counted failed; 0: LoadGiveUp. A bidder's
	// hangs never answer: without it one hang held the load to the
	// whole --timeout.
	GiveUp time.Duration
}

// LoadGiveUp is how long past its tmax a load's request waits for an
// answer by default: far past any answer a scenario models as late.
const LoadGiveUp = 2 * time.Second

// LoadResult is what a load measured.
type LoadResult struct {
	// Answered counts every HTTP answer (a 5xx is the modelled error
	// share); Failed the requests that got none.
	Sent, Answered, Failed int
	// Rate is the rate the requests were sent at, a second: the sends
	// after the first over the time from the first to the last (the
	// asked rate when the schedule was kept); NaN with fewer than two.
	// It is not what finished: see AnsweredPerSecond.
	Rate float64
	// AnsweredPerSecond is the answers over AnsweredBy: the rate the
	// load was answered at, below Rate when answers took longer than the
	// gap between sends; NaN with nothing sent, 0 with nothing answered.
	// Not over Elapsed: a request never answered (a bidder's hangs) ends
	// the load only when given up, tmax + GiveUp after it was sent, and
	// against prebid-server's bidders the give-ups alone took 3,000 sent
	// at 1,000 a second from 625 answered a second to 517.
	AnsweredPerSecond float64
	// AnsweredBy is from the start to the last answer; 0 with none.
	AnsweredBy time.Duration
	// AddedMS is each answer's measured time less its modelled one
	// (X-Auctionsim-Modelled-Us), seen by the client: the server's delay
	// and the loopback's.
	AddedMS Percentiles
	// Elapsed is from the start to the last answer or give-up.
	Elapsed time.Duration
}

// Load sends the load and waits for every answer (or ctx).
func Load(ctx context.Context, o LoadOptions) (LoadResult, error) {
	if len(o.URLs) == 0 || !(o.Rate > 0) || o.Count <= 0 {
		return LoadResult{}, errors.New("load: needs URLs, a rate > 0 and a count > 0")
	}
	limit := cmpZero(o.MaxInFlight, DefaultMaxInFlight)
	client := newClient(limit, newWarmDialer())
	defer client.CloseIdleConnections()
	sem := make(chan struct{}, limit)
	var (
		mu    sync.Mutex
		res   LoadResult
		added = hdrhistogram.New(1, 3_600_000_000, 3)
		wg    sync.WaitGroup
	)
	giveUp := o.GiveUp
	if giveUp <= 0 {
		giveUp = LoadGiveUp
	}
	wait := time.Duration(o.TmaxMS)*time.Millisecond + giveUp
	gap := time.Duration(float64(time.Second) / o.Rate)
	start := time.Now()
	var first, last time.Time // the first and the last send
	for i := 0; i < o.Count; i++ {
		if d := time.Until(start.Add(time.Duration(i) * gap)); d > 0 {
			if err := (WallClock{}).Sleep(ctx, d); err != nil {
				break
			}
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		res.Sent++
		if last = time.Now(); res.Sent == 1 {
			first = last
		}
		body := []byte(`{"id":"` + strconv.Itoa(i) + `","imp":[{"id":"1","bidfloor":0.1}],"tmax":` + strconv.FormatInt(o.TmaxMS, 10) + `,"at":2}`)
		url := o.URLs[i%len(o.URLs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			sent := time.Now()
			rctx, cancel := context.WithTimeout(ctx, wait)
			defer cancel()
			ok, modelled := postBid(rctx, client, url, body)
			took := time.Since(sent)
			mu.Lock()
			defer mu.Unlock()
			if !ok {
				res.Failed++
				return
			}
			res.Answered++
			res.AnsweredBy = max(res.AnsweredBy, time.Since(start))
			if modelled >= 0 {
				recordMicros(added, took-modelled)
			}
		}()
	}
	// Sends counted from the first's instant: Sent over the span read
	// 10 requests at 3000/s as 3,300/s, and one as hundreds of thousands.
	res.Rate = math.NaN()
	if res.Sent > 1 {
		res.Rate = float64(res.Sent-1) / last.Sub(first).Seconds()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.AnsweredPerSecond = math.NaN()
	switch {
	case res.Answered > 0:
		res.AnsweredPerSecond = float64(res.Answered) / res.AnsweredBy.Seconds()
	case res.Sent > 0:
		res.AnsweredPerSecond = 0
	}
	res.AddedMS = percentiles(added)
	if res.Sent < o.Count {
		return res, fmt.Errorf("load: stopped after %d of %d requests: %w", res.Sent, o.Count, ctx.Err())
	}
	return res, nil
}

// postBid sends one bid request; ok when it was answered (with any
// status), with the answer's modelled time (−1: not stated).
func postBid(ctx context.Context, c *http.Client, url string, body []byte) (ok bool, modelled time.Duration) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return false, -1
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return false, -1
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	modelled = -1
	if us, err := strconv.ParseInt(resp.Header.Get(ModelledHeader), 10, 64); err == nil {
		modelled = time.Duration(us) * time.Microsecond
	}
	return true, modelled
}

// AddedDelay merges every bidder's added delay (served less modelled,
// measured by the server from each request's arrival).
func (s *Server) AddedDelay() Percentiles {
	h := newHist()
	for _, ep := range s.order {
		ep.mu.Lock()
		h.Merge(ep.added)
		ep.mu.Unlock()
	}
	return percentiles(h)
}
