package dev.clickpipes.source.objectstore;

/**
 * An object being read, with what its virtual columns say.
 *
 * @param info the listing's entry
 * @param path the {@code _path} value: {@code bucket/key}, or the local file's absolute path
 * @param name the {@code _file} value: the part of the key after its last {@code /}
 */
record ObjectFile(ObjectInfo info, String path, String name) {
}
