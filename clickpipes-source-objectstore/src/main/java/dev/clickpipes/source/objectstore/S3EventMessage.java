package dev.clickpipes.source.objectstore;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects one queue message announces, in the shapes S3 sends them:
 * <ul>
 *   <li>an S3 event notification ({@code {"Records":[{"eventName":"ObjectCreated:Put","s3":{...}}]}},
 *       keys URL-encoded as S3 documents), straight from S3 or wrapped by SNS
 *       ({@code {"Type":"Notification","Message":"..."}});</li>
 *   <li>an EventBridge event ({@code "detail-type":"Object Created"}, keys as they are);</li>
 *   <li>S3's test event ({@code "Event":"s3:TestEvent"}), deletions and other events: no object.</li>
 * </ul>
 * The object's version is its ETag in quotes, as S3's listing shows it, so that it compares equal
 * to the version a listing recorded.
 */
final class S3EventMessage {

    /** An object a message announces, with its bucket. */
    record Created(String bucket, ObjectInfo object) {
    }

    private S3EventMessage() {
    }

    /** The objects created that {@code body} announces (none for other events); IOException naming what is wrong. */
    static List<Created> parse(String body) throws IOException {
        Map<String, Object> root = JsonTree.map(JsonTree.parse(body));
        if (root == null) {
            throw new IOException("not a JSON object");
        }
        if ("Notification".equals(root.get("Type")) && root.get("Message") instanceof String inner) {
            return parse(inner); // SNS fan-out: the S3 event is the message's text
        }
        List<Created> out = new ArrayList<>();
        if (root.get("Records") instanceof List<?> records) {
            for (Object r : records) {
                Map<String, Object> record = JsonTree.map(r);
                String event = JsonTree.text(record, "eventName");
                if (event == null || !event.startsWith("ObjectCreated:")) {
                    continue;
                }
                Map<String, Object> object = JsonTree.map(record, "s3", "object");
                String key = JsonTree.text(object, "key");
                out.add(created(JsonTree.text(JsonTree.map(record, "s3", "bucket"), "name"),
                        key == null ? null : URLDecoder.decode(key, StandardCharsets.UTF_8), object, "eTag",
                        JsonTree.text(record, "eventTime")));
            }
            return out;
        }
        if ("Object Created".equals(root.get("detail-type"))) {
            Map<String, Object> object = JsonTree.map(root, "detail", "object");
            out.add(created(JsonTree.text(JsonTree.map(root, "detail", "bucket"), "name"), JsonTree.text(object, "key"),
                    object, "etag", JsonTree.text(root, "time")));
            return out;
        }
        if (root.containsKey("Event") || root.containsKey("detail-type")) {
            return out; // s3:TestEvent, Object Deleted, ...: nothing to load
        }
        throw new IOException("neither an S3 event notification nor an EventBridge event (keys " + root.keySet() + ")");
    }

    private static Created created(String bucket, String key, Map<String, Object> object, String etagField, String time)
            throws IOException {
        String size = JsonTree.text(object, "size");
        if (bucket == null || key == null || key.isEmpty() || size == null) {
            throw new IOException("an object-created event without its bucket, key or size");
        }
        String etag = JsonTree.text(object, etagField);
        Instant at;
        try {
            at = time == null ? Instant.EPOCH : Instant.parse(time);
        } catch (DateTimeParseException e) {
            at = Instant.EPOCH;
        }
        long bytes;
        try {
            bytes = Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw new IOException("an object-created event whose size is not a number: " + size);
        }
        return new Created(bucket, new ObjectInfo(key, bytes, at, etag == null || etag.isEmpty() ? "" : '"' + etag + '"'));
    }
}
