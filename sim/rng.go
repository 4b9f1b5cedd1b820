package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// newStream returns the random stream named key under seed. Each purpose
// (traffic, tie-breaks) and each bidder's purpose (latency, value, ...) has
// its own stream, named by the bidder's name rather than its position, so a
// change to one bidder, or a new bidder, leaves every other stream's draws
// unchanged: common random numbers across compared runs.
func newStream(seed uint64, key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(splitmix(seed), splitmix(h.Sum64()^seed)))
}

// streamSeed is the second seed newStream gives the stream named key: a
// word that names the stream, for a hash of the stream's own (a holdout
// by person's arms).
func streamSeed(seed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return splitmix(h.Sum64() ^ seed)
}

// splitmix is SplitMix64's finaliser: it spreads nearby seeds apart.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
