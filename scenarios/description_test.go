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
