/**
 * The OpenAPI description of the two live channels, which the document cannot express as
 * operations (socket.io is not HTTP; SSE reconnection is a client rule). Kept in step with the
 * "Live events" section of the README.
 */
export const LIVE_CHANNELS_DESCRIPTION = `
## Live events

A job event is \`{ jobId, seq, type, data, createdAt }\`; \`seq\` grows with each event of a job.
Types and their \`data\`: \`queued\` {provider, model}, \`started\` {attempt}, \`progress\` {percent},
\`preview\` {url, mime}, \`retrying\` {attempt, code, message, retryAfterMs}, then one of
\`completed\` {imageIds}, \`failed\` {code, message}, \`cancelled\` {}.

**Server-Sent Events**: \`GET /api/v1/jobs/{id}/events\` (token as \`Authorization: Bearer\` or
\`?access_token=\`). Each event has \`id\` (the seq), \`event\` (the type) and \`data\` (the JSON event).
The stream replays the job's events, relays new ones and ends after the final one. A reconnect
with \`Last-Event-ID\` resumes after that event; once the job is finished and its final event was
seen (or its events were pruned) the answer is **204**, which makes an \`EventSource\` stop.

**socket.io**: namespace \`/events\` on the API's port. Send the access token as \`auth.token\`, an
\`Authorization: Bearer\` header (\`extraHeaders\`) or a \`token\` query parameter. A missing or bad
token is refused during the handshake: the client gets \`connect_error\` with the message "A valid
access token is required." and \`data.code = "unauthenticated"\`. Connected clients receive
\`ready\` {userId}, \`job.event\` (each event of their own jobs, as above) and, every 3 s,
\`queue.status\` {queue, waiting, active, delayed, comfyui, position, at}, where \`position\` is the
number of queued jobs ahead of the caller's oldest queued job (null when it has none).
`;
