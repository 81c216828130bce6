// Stands in for Electron's utilityProcess `process.parentPort` in a child started with
// child_process.fork, so the built engine entry can be tested under plain Node.
process.parentPort = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
