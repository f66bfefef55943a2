#!/usr/bin/env bash
# Installs what the Kinesis source's tests and benchmark run as processes:
#   - kinesis-mock (npm kinesis-local 0.6.2) into $CLICKPIPES_CACHE/kinesis
#   - Amazon's DynamoDB Local 2.6.1 (Maven Central, the KCL lease table) into
#     $CLICKPIPES_CACHE/dynamodb-local/{lib,natives}: its jars, and its sqlite4java natives, which
#     are separate Maven artifacts of type `so`.
# Idempotent: a second run only checks the marker files.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/env.sh

KINESIS_MOCK_VERSION=0.6.2
DYNAMODB_LOCAL_VERSION=2.6.1
CACHE="$CLICKPIPES_CACHE"

# --- kinesis-mock --------------------------------------------------------------------------------
KDIR="$CACHE/kinesis"
if [ ! -f "$KDIR/node_modules/kinesis-local/main.js" ] || \
   ! grep -q "\"version\": \"$KINESIS_MOCK_VERSION\"" "$KDIR/node_modules/kinesis-local/package.json"; then
  echo "kinesis: installing npm kinesis-local@$KINESIS_MOCK_VERSION into $KDIR"
  mkdir -p "$KDIR"
  [ -f "$KDIR/package.json" ] || echo '{"name":"clickpipes-kinesis-mock","private":true}' > "$KDIR/package.json"
  npm install --silent --no-audit --no-fund --prefix "$KDIR" "kinesis-local@$KINESIS_MOCK_VERSION"
fi

# --- DynamoDB Local ------------------------------------------------------------------------------
DDIR="$CACHE/dynamodb-local"
MARKER="$DDIR/.installed-$DYNAMODB_LOCAL_VERSION"
if [ ! -f "$MARKER" ]; then
  echo "kinesis: installing DynamoDB Local $DYNAMODB_LOCAL_VERSION into $DDIR"
  rm -rf "$DDIR"
  mkdir -p "$DDIR"
  cat > "$DDIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.clickpipes.deps</groupId>
  <artifactId>dynamodb-local-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>DynamoDBLocal</artifactId>
      <version>$DYNAMODB_LOCAL_VERSION</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
        <executions>
          <execution>
            <id>jars</id>
            <phase>package</phase>
            <goals><goal>copy-dependencies</goal></goals>
            <configuration>
              <includeScope>runtime</includeScope>
              <includeTypes>jar</includeTypes>
              <outputDirectory>\${project.basedir}/lib</outputDirectory>
            </configuration>
          </execution>
          <execution>
            <id>natives</id>
            <phase>package</phase>
            <goals><goal>copy-dependencies</goal></goals>
            <configuration>
              <includeScope>runtime</includeScope>
              <includeTypes>so</includeTypes>
              <outputDirectory>\${project.basedir}/natives</outputDirectory>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
POM
  (cd "$DDIR" && $MVN -q package)
  ls "$DDIR"/lib/DynamoDBLocal-*.jar >/dev/null
  ls "$DDIR"/natives/libsqlite4java-linux-amd64-*.so >/dev/null
  touch "$MARKER"
fi
echo "kinesis: kinesis-mock in $KDIR, DynamoDB Local in $DDIR"
