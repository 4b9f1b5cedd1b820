package runner

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Max is the speed "as fast as the engine goes".
var Max = math.Inf(1)

// Speed limits: 0.01× (a 120 ms deadline takes 12 s to watch) to 1024×.
const (
	MinSpeed = 0.01
	MaxSpeed = 1024
)

// Speeds are the steps the dashboard's faster/slower keys move through:
// ×2 around real time, from 0.01× up to 1024×, then Max. The first step is
// the one exception to ×2: 0.01× is the slow motion a classroom needs, and
// 1/128× would be slower still.
var Speeds = [...]float64{MinSpeed, 1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2,
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, MaxSpeed, Max}

// SpeedStep is the factor between two neighbouring steps of Speeds.
const SpeedStep = 2

// Faster is the first step of Speeds above f, or f when f is the last.
func Faster(f float64) float64 {
	for _, s := range Speeds {
		if s > f*(1+1e-9) {
			return s
		}
	}
	return f
}

// Slower is the last step of Speeds below f, or f when f is the first.
func Slower(f float64) float64 {
	for i := len(Speeds) - 1; i >= 0; i-- {
		if Speeds[i] < f*(1-1e-9) {
			return Speeds[i]
		}
	}
	return f
}

// SpeedLabel names a speed for people: "0.01×", "1/64×", "1×", "2.5×",
// "1024×", "max".
func SpeedLabel(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "max"
	case f < 1:
		if inv := 1 / f; math.Abs(inv-math.Round(inv)) < 1e-9 && f != MinSpeed {
			return fmt.Sprintf("1/%d×", int(math.Round(inv)))
		}
	}
	return strconv.FormatFloat(f, 'g', 4, 64) + "×"
}

// ParseSpeed reads a speed flag: a factor from 0.01 to 1024, or "max".
func ParseSpeed(s string) (float64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "×")
	if strings.EqualFold(s, "max") {
		return Max, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "x"), 64)
	if err != nil || !(f >= MinSpeed && f <= MaxSpeed) {
		return 0, fmt.Errorf("speed %q: want a factor from %g to %g, or max", s, float64(MinSpeed), float64(MaxSpeed))
	}
	return f, nil
}
