package record

import (
	"os/exec"
	"testing"
)

// AsciinemaCat is what `asciinema cat path` prints, or skips the test
// when asciinema (Debian's package; .ci/run installs it) or script(1) is
// missing. asciinema reads /dev/tty, so it runs in script's pseudo
// terminal.
func AsciinemaCat(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("asciinema"); err != nil {
		t.Skip("asciinema is not installed (.ci/run installs it)")
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	cmd := exec.Command(script, "-qec", "asciinema cat '"+path+"'", "/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("asciinema cat %s: %v\n%s", path, err, out)
	}
	return string(out)
}
