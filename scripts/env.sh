# Sourced by the other scripts: picks a JDK with the FFM API (22+; Temurin 25 on these machines).
# Library artifacts still target Java 17 (--release 17); only the build and tests need the newer JDK.
if [ -z "${CLICKPIPES_JAVA_HOME:-}" ]; then
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/*25* /usr/lib/jvm/*-2[2-9]-* ; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
      if [ "${version:-0}" -ge 22 ] 2>/dev/null; then CLICKPIPES_JAVA_HOME="$candidate"; break; fi
    fi
  done
fi
if [ -z "${CLICKPIPES_JAVA_HOME:-}" ]; then
  echo "clickpipes: needs a JDK 22 or newer (for the FFM API of the embedded engine); none found under /usr/lib/jvm." >&2
  echo "            install Temurin 25, or set CLICKPIPES_JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME="$CLICKPIPES_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
export CLICKPIPES_CACHE="${CLICKPIPES_CACHE:-$HOME/.cache/clickpipes}"
# Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe in its own libraries (guava); nothing of ours.
case "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')" in
  2[4-9]|[3-9][0-9]) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac
MVN="mvn -B -ntp"
