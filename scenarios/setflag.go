package scenarios

import "strings"

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
