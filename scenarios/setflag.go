package scenarios

import (
	"fmt"
	"strings"
	"time"
)

// SetStrings writes overrides as PATH=VALUE.
func SetStrings(sets []Set) []string {
	out := make([]string, len(sets))
	for i, s := range sets {
		out[i] = s.Path + "=" + s.Value
	}
	return out
}

// SetFlag collects a repeatable PATH=VALUE flag (--set, --change) as a
// flag.Value.
type SetFlag struct {
	Flag string // the flag's name for messages: "--set"
	List []Set
}

func (f *SetFlag) String() string { return strings.Join(SetStrings(f.List), " ") }

// Set reads one PATH=VALUE (ParseSet) and adds it.
func (f *SetFlag) Set(text string) error {
	s, err := ParseSet(f.Flag, text)
	if err != nil {
		return err
	}
	f.List = append(f.List, s)
	return nil
}

// Repeatable marks SetFlag as a flag that collects every value given
// (the command line's flag machinery lets it repeat).
func (*SetFlag) Repeatable() {}

// StopSet is the override that --auctions and --duration stand for:
// stop: {auctions: N, duration: D}, either left out when zero.
func StopSet(auctions uint64, duration time.Duration) Set {
	var parts []string
	if auctions > 0 {
		parts = append(parts, fmt.Sprintf("auctions: %d", auctions))
	}
	if duration > 0 {
		parts = append(parts, "duration: "+duration.String())
	}
	return Set{Path: "stop", Value: "{" + strings.Join(parts, ", ") + "}", Flag: "--auctions/--duration"}
}
