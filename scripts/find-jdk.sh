# Finds a JDK 25 or newer. Sourced by ./headlight and ./build (bash); defines functions only.
#
#   jdk=$(headlight_find_jdk) || exit 1
#
# Looks, in order, at JAVA_HOME, the java on PATH, then the usual install folders: /usr/lib/jvm/*, /opt/java,
# /Library/Java/JavaVirtualMachines/*/Contents/Home (macOS), ~/.sdkman/candidates/java/*, ~/.jdks/*.

HEADLIGHT_MIN_JAVA=25

# Prints the major version of the Java installation at $1 (e.g. 25), or nothing.
headlight_java_major() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] || [ -x "$home/bin/java.exe" ] || return 1
    if [ -f "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    version=${version#1.}          # 1.8.0_292 -> 8.0_292
    version=${version%%[.+_-]*}    # 25.0.1 -> 25, 25-ea -> 25
    case $version in
        '' | *[!0-9]*) return 1 ;;
    esac
    echo "$version"
}

headlight_is_recent_jdk() {
    local major
    major=$(headlight_java_major "$1") || return 1
    [ "$major" -ge "$HEADLIGHT_MIN_JAVA" ]
}

# Prints the home folder of the first JDK >= 25 found; fails when there is none.
headlight_find_jdk() {
    local candidate
    if [ -n "${JAVA_HOME:-}" ] && headlight_is_recent_jdk "$JAVA_HOME"; then
        echo "$JAVA_HOME"
        return 0
    fi
    if command -v java > /dev/null 2>&1; then
        # Ask the java on PATH where it lives: symlinks and macOS's /usr/bin/java stub hide it.
        candidate=$(java -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^[[:space:]]*java\.home = //p' | head -n 1)
        if [ -n "$candidate" ] && headlight_is_recent_jdk "$candidate"; then
            echo "$candidate"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/* /opt/java /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
        "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
        if [ -d "$candidate" ] && headlight_is_recent_jdk "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

headlight_no_jdk_message() {
    echo "headlight: no JDK $HEADLIGHT_MIN_JAVA or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm," \
        "/opt/java, /Library/Java/JavaVirtualMachines, ~/.sdkman, ~/.jdks); install one, e.g. Temurin 25 from" \
        "https://adoptium.net, or set JAVA_HOME to it" >&2
}
