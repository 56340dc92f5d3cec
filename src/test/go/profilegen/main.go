// profilegen writes a real Go CPU profile and a real heap profile for nodedoctor's pprof conformance tests.
// It mimics the case the pprof tests are about: a program that makes very many small objects (64-byte
// records decoded from JSON), so the GC (gcBgMarkWorker, scanobject) burns CPU beside the program itself.
//
//	go run . -cpu cpu.pprof -heap heap.pprof [-seconds 2]
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type record struct {
	A, B, C, D int64
	E, F, G, H int64
}

var keep [][]*record

func decodeMany(n int) []*record {
	out := make([]*record, 0, n)
	for i := 0; i < n; i++ {
		var r record
		if err := json.Unmarshal([]byte(`{"A":1,"B":2,"C":3,"D":4,"E":5,"F":6,"G":7,"H":8}`), &r); err != nil {
			log.Fatal(err)
		}
		out = append(out, &r)
	}
	return out
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// MemoryGroup.GetStats reads memory.stat the way cAdvisor's / runc's cgroup managers do on each housekeeping pass.
type MemoryGroup struct{ path string }

func (m *MemoryGroup) GetStats() int {
	b, err := os.ReadFile(m.path)
	if err != nil {
		return 0
	}
	return len(b)
}

func housekeeping(deadline time.Time, path string) int {
	n := 0
	g := &MemoryGroup{path}
	for time.Now().Before(deadline) {
		n += g.GetStats()
	}
	return n
}

func main() {
	cgroup := flag.String("cgroup", "", "instead: profile a housekeeping loop reading this memory.stat file")
	cpu := flag.String("cpu", "cpu.pprof", "CPU profile to write")
	heap := flag.String("heap", "heap.pprof", "heap profile to write")
	seconds := flag.Float64("seconds", 2, "how long to run")
	flag.Parse()
	runtime.MemProfileRate = 4096
	f, err := os.Create(*cpu)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	sink := 0
	if *cgroup != "" {
		sink += housekeeping(deadline, *cgroup)
		pprof.StopCPUProfile()
		f.Close()
		if sink == 42 {
			log.Print("unlikely")
		}
		return
	}
	for time.Now().Before(deadline) {
		keep = append(keep, decodeMany(20000))
		if len(keep) > 20 {
			keep = keep[1:]
		}
		sink += fib(22)
	}
	pprof.StopCPUProfile()
	f.Close()
	runtime.GC()
	h, err := os.Create(*heap)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(h); err != nil {
		log.Fatal(err)
	}
	h.Close()
	if sink == 42 {
		log.Print("unlikely")
	}
}
