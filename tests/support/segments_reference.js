// Reads a JSON array of texts on standard input and prints, for each, what the npm
// `sms-segments-calculator` (pinned in package.json) says of it: with and without its
// smart encoding, the encoding name and the number of segments.
const { SegmentedMessage } = require("sms-segments-calculator");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const texts = JSON.parse(input);
  const answer = texts.map((text) => {
    const plain = new SegmentedMessage(text, "auto", false);
    const smart = new SegmentedMessage(text, "auto", true);
    return [plain.encodingName, plain.segmentsCount, smart.encodingName, smart.segmentsCount];
  });
  process.stdout.write(JSON.stringify(answer));
});
