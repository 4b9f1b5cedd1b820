package scenarios

import (
	"strings"
	"testing"
)

// TestOverrideEscapesQuoted checks that an override whose path or value
// holds a terminal escape is quoted wherever a message cites it (the
// prefix naming the override, ParseSet's refusals, the shell line
// suggested), as the messages quote the values they cite: written raw,
// it would act on the terminal.
func TestOverrideEscapesQuoted(t *testing.T) {
	const esc = "\x1b[31m"
	_, _, err := ResolveWith("classroom-vickrey", sets(t, "exchange.floor="+esc+"red"))
	if err == nil || strings.Contains(err.Error(), esc) || !strings.Contains(err.Error(), `--set "exchange.floor=\x1b[31mred": `) {
		t.Errorf("an escape in the value: %q; want it quoted", err)
	}
	for _, text := range []string{"exchange" + esc, "exchange.floor=" + esc + "\r1"} {
		if _, err := ParseSet("--set", text); err == nil || strings.ContainsAny(err.Error(), "\x1b\r") || !strings.Contains(err.Error(), `\x1b[31m`) {
			t.Errorf("ParseSet(%q): %q; want the argument quoted", text, err)
		}
	}
	for _, c := range []struct {
		set  Set
		want string
	}{
		{Set{Path: "exchange.floor", Value: "0.3"}, "--set exchange.floor=0.3"},
		{Set{Path: "exchange.floor", Value: esc}, `--set "exchange.floor=\x1b[31m"`},
		{Set{Path: "exchange.floor", Value: esc, Flag: ":"}, `:"exchange.floor=\x1b[31m"`},
		{Set{Path: "exchange.floor", Value: esc, Flag: scriptFlag}, `"exchange.floor: \x1b[31m"`},
	} {
		if got := c.set.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
	if got, want := shellSet(Set{Path: "bidders.a'b.strategy", Value: `{kind: "` + esc + `"}`}), `--set $'bidders.a\'b.strategy={kind: \"\x1b[31m\"}'`; got != want {
		t.Errorf("shellSet = %s, want %s", got, want)
	}
	if got, want := shellSet(Set{Path: "bidders.bo.strategy", Value: "{kind: shade}"}), `--set 'bidders.bo.strategy={kind: shade}'`; got != want {
		t.Errorf("shellSet = %s, want %s", got, want)
	}
	// A ' in a printable override stays in the value the shell passes.
	if got, want := shellSet(Set{Path: "bidders.bo.strategy", Value: "{kind: shade, factor: '0.9'}"}), `--set 'bidders.bo.strategy={kind: shade, factor: '\''0.9'\''}'`; got != want {
		t.Errorf("shellSet = %s, want %s", got, want)
	}
}
