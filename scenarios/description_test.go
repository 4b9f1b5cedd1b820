package scenarios

import (
	"strings"
	"testing"
)

// TestDescriptionPrintable checks that a description with an escape
// sequence (which would restyle the dashboard showing it) is refused at
// its line, and that lines and tabs are kept.
func TestDescriptionPrintable(t *testing.T) {
	_, err := Parse("d.yaml", []byte("description: \"red \\e[31mtext\"\n"+minimal))
	if err == nil || !strings.Contains(err.Error(), "d.yaml:1:14: description: contains the control or formatting character U+001B at character 5") {
		t.Errorf("got %v", err)
	}
	s := mustParse(t, "description: \"two\\n\\tlines\"\n"+minimal)
	if s.Description != "two\n\tlines" {
		t.Errorf("description %q", s.Description)
	}
}

// TestFileNamedOddly checks a scenario named after its file: a name the
// file system decomposed (macOS's café) or padded with spaces runs under
// its composed, trimmed name; one with an escape sequence is refused with
// the path quoted, so that the terminal shows the escape, not obeys it.
func TestFileNamedOddly(t *testing.T) {
	for file, want := range map[string]string{"dir/cafe\u0301.yaml": "caf\u00e9", " sp .yaml": "sp"} {
		s, err := Parse(file, []byte(minimal))
		if err != nil {
			t.Errorf("%q: %v", file, err)
			continue
		}
		if s.Name != want {
			t.Errorf("%q: name %q, want %q", file, s.Name, want)
		}
	}
	_, err := Parse("e\x1b[31m.yaml", []byte(minimal))
	if err == nil || !strings.HasPrefix(err.Error(), `"e\x1b[31m.yaml":1:1: name: `) {
		t.Errorf("got %v", err)
	}
}
