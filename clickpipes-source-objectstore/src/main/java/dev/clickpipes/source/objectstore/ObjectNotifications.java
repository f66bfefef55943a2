package dev.clickpipes.source.objectstore;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Where a continuous load in {@link ObjectStoreSource.Ordering#ANY any order} learns of new
 * objects instead of listing the whole prefix at every interval: a queue of the store's event
 * notifications, such as S3's through SQS ({@link SqsNotifications}). A poll then costs what is
 * new: one request to the queue, whatever the number of objects loaded before.
 *
 * <p>A notice stays in the queue until {@link #acknowledge acknowledged}: the source acknowledges
 * it once the object is loaded (by this worker or another) or needs no load (another bucket, a key
 * the glob does not match, a version that is gone). A worker that dies with notices unacknowledged
 * leaves them to come back to another worker when their visibility ends, so no notice is lost;
 * one that comes twice finds its object done and is acknowledged.
 */
public interface ObjectNotifications extends AutoCloseable {

    /**
     * An object a notification announced (one version of it), or none for a message that
     * announces no new object (a test event, a deletion): it is acknowledged at once.
     *
     * @param bucket the bucket it names, null for none
     * @param object the object, null for none
     * @param handle what {@link #acknowledge} needs to remove the message from the queue
     */
    record Notice(String bucket, ObjectInfo object, String handle) {
    }

    /**
     * What the queue holds now, waiting up to {@code maxWait} for the first message when it is
     * empty (long polling); an empty list when none came.
     */
    List<Notice> receive(Duration maxWait) throws Exception;

    /** Removes the messages of these notices from the queue: their objects are loaded or need no load. */
    void acknowledge(Collection<Notice> notices) throws Exception;

    /** What this queue is, for messages (never a secret). */
    String describe();

    /** Releases the queue's client. */
    @Override
    void close();
}
