// Command http_load is the load generator of bench/api_throughput.py (接口压测): it posts
// GraphQL request bodies (or GETs) to one loopback URL from a fixed number of workers for a fixed time
// and prints every measured request's latency as one JSON object (its CPU time is read from
// /proc by the caller).
//
//	go build -o .tools/http-load bench/http_load.go   (api_throughput.py does this on first run)
//	.tools/http-load -url http://127.0.0.1:8000/graphql -header 'X-API-Key: …' \
//	    -bodies bodies.jsonl -c 8 -warm-up 3s -duration 10s
//
// The bodies (one JSON document a line) are sent in turn, shared by all workers, so a run asks
// the questions in the file's order. Each worker keeps one connection alive. A request is
// measured when it ends inside the window after the warm-up; a status other than 200, or a
// body with a GraphQL "errors" key, counts as an error. Only loopback addresses are accepted,
// and the run stops by itself at the deadline (in-flight requests end or time out).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type report struct {
	Concurrency   int     `json:"concurrency"`
	WindowSeconds float64 `json:"window_seconds"`
	LatenciesUs   []int64 `json:"latencies_us"`
	Errors        int     `json:"errors"`
	FirstError    string  `json:"first_error"`
	ResponseBytes int64   `json:"response_bytes"`
}

type worker struct {
	latencies []int64
	errors    int
	firstErr  string
	bytes     int64
}

func main() {
	target := flag.String("url", "", "loopback URL to POST to")
	header := flag.String("header", "", "one extra request header, 'Name: value'")
	bodiesFile := flag.String("bodies", "", "file of request bodies, one JSON document a line")
	method := flag.String("method", http.MethodPost, "POST (the bodies) or GET (no body)")
	concurrency := flag.Int("c", 1, "workers, each with one kept-alive connection")
	warmUp := flag.Duration("warm-up", 3*time.Second, "time before measuring starts")
	duration := flag.Duration("duration", 10*time.Second, "measured window")
	flag.Parse()
	if err := checkLoopback(*target); err != nil {
		fail(err)
	}
	if *duration <= 0 || *duration > 10*time.Minute || *concurrency < 1 || *concurrency > 256 {
		fail(fmt.Errorf("need 0 < -duration <= 10m and 1 <= -c <= 256"))
	}
	bodies := [][]byte{nil}
	if *method == http.MethodPost {
		var err error
		if bodies, err = readBodies(*bodiesFile); err != nil {
			fail(err)
		}
	} else if *method != http.MethodGet {
		fail(fmt.Errorf("-method must be POST or GET"))
	}
	name, value, _ := strings.Cut(*header, ":")
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        *concurrency,
			MaxIdleConnsPerHost: *concurrency,
			DisableCompression:  true,
		},
	}
	start := time.Now()
	windowStart, deadline := start.Add(*warmUp), start.Add(*warmUp+*duration)
	var next atomic.Uint64
	workers := make([]*worker, *concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = &worker{}
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				body := bodies[(next.Add(1)-1)%uint64(len(bodies))]
				began := time.Now()
				size, problem := send(client, *method, *target, strings.TrimSpace(name), strings.TrimSpace(value), body)
				ended := time.Now()
				if ended.Before(windowStart) || ended.After(deadline) {
					continue
				}
				w.latencies = append(w.latencies, ended.Sub(began).Microseconds())
				w.bytes += size
				if problem != "" {
					w.errors++
					if w.firstErr == "" {
						w.firstErr = problem
					}
				}
			}
		}(workers[i])
	}
	wg.Wait()
	printReport(workers, *concurrency, duration.Seconds())
}

// send makes one request and reads the whole answer; problem is "" when it was a clean 200.
func send(client *http.Client, method, target, name, value string, body []byte) (int64, string) {
	request, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	if body != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	if name != "" {
		request.Header.Set(name, value)
	}
	response, err := client.Do(request)
	if err != nil {
		return 0, err.Error()
	}
	answer, err := io.ReadAll(response.Body)
	response.Body.Close()
	if err != nil {
		return 0, err.Error()
	}
	if response.StatusCode != http.StatusOK {
		return int64(len(answer)), fmt.Sprintf("HTTP %d: %.300s", response.StatusCode, answer)
	}
	if bytes.Contains(answer, []byte(`"errors"`)) {
		return int64(len(answer)), fmt.Sprintf("GraphQL errors: %.300s", answer)
	}
	return int64(len(answer)), ""
}

func checkLoopback(target string) error {
	parsed, err := url.Parse(target)
	if err != nil || parsed.Hostname() == "" {
		return fmt.Errorf("-url %q is not a URL", target)
	}
	addresses, err := net.LookupIP(parsed.Hostname())
	if err != nil {
		return err
	}
	for _, address := range addresses {
		if !address.IsLoopback() {
			return fmt.Errorf("-url must point at this machine (loopback), not %s", address)
		}
	}
	return nil
}

func readBodies(path string) ([][]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var bodies [][]byte
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		if line := bytes.TrimSpace(scanner.Bytes()); len(line) > 0 {
			bodies = append(bodies, append([]byte(nil), line...))
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("%s holds no request bodies", path)
	}
	return bodies, nil
}

func printReport(workers []*worker, concurrency int, seconds float64) {
	out := report{Concurrency: concurrency, WindowSeconds: seconds, LatenciesUs: []int64{}}
	for _, w := range workers {
		out.LatenciesUs = append(out.LatenciesUs, w.latencies...)
		out.Errors += w.errors
		out.ResponseBytes += w.bytes
		if out.FirstError == "" {
			out.FirstError = w.firstErr
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "http_load:", err)
	os.Exit(2)
}
