// autocannon's verifyBody for the throughput rows with varied arguments (a
// file, because autocannon's worker thread requires it by path): an answer
// counts only if it holds data and no errors; anything else is a mismatch.
module.exports = (body) => typeof body === "string" && body.startsWith('{"data":') && !body.includes('"errors":');
