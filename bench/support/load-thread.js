// Runs one autocannon load in a worker thread, so the load generator does not share the event
// loop of the server it measures (a busy loop delays reading responses and inflates latency).
// Posts back the summary and every response time in ms (autocannon's summary has no p95).
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');

const latencies = [];
const instance = autocannon(workerData, (error, result) => {
  if (error) return parentPort.postMessage({ error: error.message });
  // Inside a worker thread autocannon leaves its histograms unsummarised (encoded for its own
  // multi-thread mode), so the rate is computed here from the completed requests.
  parentPort.postMessage({
    summary: {
      rps: result.totalCompletedRequests / result.duration,
      requests: result.totalCompletedRequests,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    },
    latencies,
  });
});
instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
