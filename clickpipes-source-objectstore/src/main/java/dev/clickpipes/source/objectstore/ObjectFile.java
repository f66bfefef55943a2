package dev.clickpipes.source.objectstore;

/**
 * An object being read, with what its virtual columns say.
 *
 * @param info      the listing's entry
 * @param path      the {@code _path} value: {@code bucket/key}, or the local file's absolute path
 * @param name      the {@code _file} value: the part of the key after its last {@code /}
 * @param partition the partition of its records' positions ({@link ObjectPosition#partition()}), built once
 */
record ObjectFile(ObjectInfo info, String path, String name, String partition) {

    ObjectFile(ObjectInfo info, String path, String name) {
        this(info, path, name, ObjectPosition.partitionOf(info.key(), info.version()));
    }
}
