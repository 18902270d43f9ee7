/* The websocket suite's config: preRequest and postRequest say what they saw of each request. */
export default {
  preRequest: (worker, request) => process.stdout.write(`preRequest ${request.uri}\n`),
  postRequest: (worker, request, response) => process.stdout.write(`postRequest ${request.uri} ${response.status}\n`),
};
