# Shared by scripts/run and scripts/test (sourced, not run): install only what changed.

# Make .venv (Python 3.11) and install the project ($1: "." or ".[test]") with the pinned
# versions, unless the stamp ($2) says this exact pyproject.toml + constraints.txt is in.
ensure_venv() {
    local target=$1 stamp=.venv/.nabij-installed-$2 python wanted
    if [[ ! -x .venv/bin/python ]]; then
        python=$(command -v python3.11 || command -v python3) || {
            echo "$0: Python 3.11 is needed (python3.11 or python3 on PATH)" >&2
            exit 1
        }
        echo "Creating .venv with $python"
        "$python" -m venv .venv
    fi
    wanted=$(cksum pyproject.toml constraints.txt)
    if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
        echo "Installing $target into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            -c constraints.txt -e "$target"
        printf '%s\n' "$wanted" >"$stamp"
    fi
}

# Build the widget (widget/dist/) with npm when its sources or lock file changed. The
# served files are built here rather than committed, so they always match the sources.
ensure_widget() {
    [[ -f widget/package.json ]] || return 0
    command -v npm >/dev/null || {
        echo "$0: npm (Node.js 20) is needed to build the widget" >&2
        exit 1
    }
    local stamp=widget/dist/.built wanted
    wanted=$(find widget/package.json widget/package-lock.json widget/build.mjs widget/src \
        -type f -print0 2>/dev/null | sort -z | xargs -0 cksum | cksum)
    if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
        echo "Building the widget"
        if [[ ! -d widget/node_modules ]] || [[ widget/package-lock.json -nt widget/node_modules ]]; then
            (cd widget && npm ci --no-audit --no-fund --loglevel=error)
            touch widget/node_modules
        fi
        (cd widget && npm run --silent build)
        printf '%s\n' "$wanted" >"$stamp"
    fi
}

# Debian's Chromium and ChromeDriver for the browser tests (no browser downloads work here).
ensure_chromium() {
    command -v chromium >/dev/null && command -v chromedriver >/dev/null && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "Installing Debian's chromium and chromium-driver"
        apt-get install -y -qq chromium chromium-driver >/dev/null ||
            { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }
    else
        echo "$0: chromium and chromedriver are missing; the browser tests will not run" >&2
    fi
}

# Debian's nginx for tests/test_nginx_chain.py, which runs deploy/nginx.conf in front of two
# replicas. Only the binary is used: the test runs its own nginx processes, never the
# system service (a package install may try to start it; that is harmless and not needed).
ensure_nginx() {
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "Installing Debian's nginx"
        apt-get install -y -qq nginx >/dev/null ||
            { apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
    else
        echo "$0: nginx is missing; the nginx chain test will not run" >&2
    fi
}
