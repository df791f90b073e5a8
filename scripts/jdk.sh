# Sourced by ./nabla and ./run-tests: finds a JDK 25 or newer and sets NABLA_JAVA_HOME.
# Order: $JAVA_HOME when it holds JDK >= 25; then the usual install places; then `java` on PATH.

nabla_java_major() {   # prints the feature version of the JDK at $1, or nothing
  local home=$1 v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

nabla_find_jdk() {
  local need=25 cand major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(nabla_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$need" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      NABLA_JAVA_HOME=$JAVA_HOME; return 0
    fi
    echo "nabla: JAVA_HOME=$JAVA_HOME is not a JDK $need or newer (found: ${major:-none}); looking elsewhere" >&2
  fi
  for cand in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
              /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] || continue
    major=$(nabla_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$need" ] && [ -x "$cand/bin/javac" ]; then
      NABLA_JAVA_HOME=$cand; return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(nabla_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$need" ]; then NABLA_JAVA_HOME=$cand; return 0; fi
  fi
  cat >&2 <<MSG
nabla: needs a JDK $need or newer (with javac and the jdk.incubator.vector module), and found none.
  Looked at: \$JAVA_HOME, /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman, ~/.jdks, and javac on PATH.
  Install one (for example Eclipse Temurin 25) or set JAVA_HOME to it.
MSG
  return 1
}
