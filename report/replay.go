package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/auctionsim/auctionsim/sim"
)

// Replayable is a JSON export read back to be replayed: the scenario's
// text, the seed, stop and horizon the run had, its change log and the
// point it stood at.
type Replayable struct {
	Scenario string // the scenario's name, as the export gives it
	YAML     []byte // the scenario file's text
	Seed     uint64
	Stop     sim.Stop
	Horizon  sim.Time // 0: not recorded
	Point    sim.Point
	Auctions uint64 // auctions closed at Point
	Changes  []sim.AppliedChange
}

// changeEntry is a change log entry as read back.
type changeEntry struct {
	Kind   string          `json:"kind"`
	Bidder string          `json:"bidder"`
	Value  json.RawMessage `json:"value"`
	AtNS   *int64          `json:"at_ns"`
	Event  *uint64         `json:"event"`
}

// ErrNoReplay says a JSON file has no replay section: it is a summary, or
// an export made without the scenario's text.
var ErrNoReplay = errors.New("no replay section (only a JSON export written by `run --out` or the dashboard's e, by this version of auctionsim, can be replayed)")

// ReadReplay reads what replays an export from r, a JSON file written by
// WriteJSON. It reads the file as a stream of tokens, keeping only the
// fields it needs, so a huge time series costs no memory. The file must
// have a replay section of version ReplayVersion.
func ReadReplay(r io.Reader) (*Replayable, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var (
		out     Replayable
		rep     *Replay
		changes []changeEntry
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(err)
		}
		key, _ := tok.(string)
		switch key {
		case "scenario":
			err = dec.Decode(&out.Scenario)
		case "changes":
			err = dec.Decode(&changes)
		case "replay":
			err = dec.Decode(&rep)
		default:
			err = skipValue(dec)
		}
		if err != nil {
			return nil, malformed(fmt.Errorf("%s: %w", key, err))
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed(errors.New("data after the top-level object"))
	}
	if rep == nil {
		return nil, ErrNoReplay
	}
	if rep.Version != ReplayVersion {
		return nil, fmt.Errorf("replay version %d: this auctionsim replays version %d only", rep.Version, ReplayVersion)
	}
	if rep.ScenarioYAML == "" {
		return nil, malformed(errors.New("replay.scenario_yaml is empty"))
	}
	if rep.VirtualNS < 0 || rep.Stop.DurationNS < 0 || rep.HorizonNS < 0 {
		return nil, malformed(errors.New("replay: negative time"))
	}
	out.YAML = []byte(rep.ScenarioYAML)
	out.Seed = rep.Seed
	out.Stop = sim.Stop{Auctions: rep.Stop.Auctions, Duration: sim.Time(rep.Stop.DurationNS)}
	out.Horizon = sim.Time(rep.HorizonNS)
	out.Point = sim.Point{At: sim.Time(rep.VirtualNS), Events: rep.Events}
	out.Auctions = rep.Auctions
	out.Changes = make([]sim.AppliedChange, len(changes))
	for i, c := range changes {
		if c.AtNS == nil || c.Event == nil {
			return nil, malformed(fmt.Errorf("changes[%d]: no at_ns or event", i))
		}
		ch, err := DecodeChange(c.Kind, c.Bidder, c.Value)
		if err != nil {
			return nil, malformed(fmt.Errorf("changes[%d]: %w", i, err))
		}
		if *c.AtNS < 0 || *c.AtNS > rep.VirtualNS || *c.Event > rep.Events {
			return nil, malformed(fmt.Errorf("changes[%d]: applied at %d ns after %d events, past the run's end", i, *c.AtNS, *c.Event))
		}
		out.Changes[i] = sim.AppliedChange{At: sim.Time(*c.AtNS), Event: *c.Event, Change: ch}
	}
	return &out, nil
}

func malformed(err error) error { return fmt.Errorf("not a valid export: %w", err) }

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return malformed(fmt.Errorf("want %q, got %v", want, tok))
	}
	return nil
}

// skipValue reads past one value, token by token.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
