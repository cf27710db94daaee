#!/usr/bin/env bash
# Boots a Debian kernel package under QEMU and runs a command inside it, against this machine's own
# files: / is shared read-only (9p) under a tmpfs overlay, this checkout read-write at its own path, so
# the guest runs the host's dotnet and this checkout's build. Prints the guest's console and exits with
# the command's exit code.
#
#   tools/vm/run-in-kernel.sh [--timeout SECONDS] [--memory MB] PACKAGE -- COMMAND...
#   tools/vm/run-in-kernel.sh --prepare PACKAGE     only downloads and unpacks the kernel
#
# PACKAGE: a Debian kernel image package or its meta-package, e.g. linux-image-amd64 (bookworm: 6.1) or
# linux-image-6.12-amd64; SUITE/PACKAGE takes it from another Debian release, e.g. bullseye/linux-image-amd64
# (5.10), through an apt configuration of its own (the host's sources stay untouched). It is downloaded and
# unpacked, never installed as the host's kernel.
# Needs root (apt-get). Downloads are cached in $EBPFPS_VM_CACHE (default /var/cache/ebpfps-vm).
# Exit codes: the command's; 124 when --timeout (default 1800 s) ran out; 125 when the VM could not be
# prepared or the guest ended without reporting the command's exit code.
set -euo pipefail

timeout=1800 memory=3072 prepare=
while [[ $# -gt 0 ]]; do
  case $1 in
    --timeout) timeout=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --prepare) prepare=1; shift ;;
    --) shift; break ;;
    -*) echo "run-in-kernel: unknown option $1" >&2; exit 125 ;;
    *) package=$1; shift ;;
  esac
done
if [[ -z ${package:-} || ( $# -eq 0 && -z $prepare ) ]]; then
  echo "usage: $0 [--timeout SECONDS] [--memory MB] PACKAGE -- COMMAND..." >&2
  exit 125
fi

checkout=$(cd "$(dirname "$0")/../.." && pwd)
cache=${EBPFPS_VM_CACHE:-/var/cache/ebpfps-vm}
say() { echo "run-in-kernel: $*" >&2; }
fail() { say "$*"; exit 125; }

# Host tools: QEMU (software emulation: this machine's /dev/kvm cannot run a stock kernel), a static
# busybox for the initramfs, kmod to resolve module dependencies.
tools=(qemu-system-x86 busybox-static cpio kmod zstd xz-utils)
missing=()
for p in "${tools[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null \
    || fail "cannot install ${missing[*]}"
fi

# The kernel: a meta-package names the versioned image package it depends on.
mkdir -p "$cache"
if [[ $package == */* ]]; then
  # Another release's archive, from the host's own Debian mirror and keyring.
  suite=${package%%/*} package=${package#*/}
  mirror=$(grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE '[a-z]+://[^ ]+' | head -1 || true)
  apt=$cache/apt-$suite
  mkdir -p "$apt/lists/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror:-http://deb.debian.org/debian} $suite main" >"$apt/sources.list"
  printf 'Dir::Etc::sourcelist "%s";\nDir::Etc::sourceparts "-";\nDir::State::lists "%s";\nDir::Cache::pkgcache "%s";\nDir::Cache::srcpkgcache "%s";\n' \
    "$apt/sources.list" "$apt/lists" "$apt/pkgcache.bin" "$apt/srcpkgcache.bin" >"$apt/apt.conf"
  export APT_CONFIG=$apt/apt.conf
  [[ -n $(ls "$apt/lists" | grep -v partial) ]] || apt-get update -qq >/dev/null 2>&1 || true
fi
resolve() {
  if [[ $package =~ ^linux-image-[0-9]+\.[0-9]+\.[0-9]+- ]]; then echo "$package"; return; fi
  apt-cache depends "$package" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
image=$(resolve)
if [[ -z $image ]]; then apt-get update -qq >/dev/null 2>&1 || true; image=$(resolve); fi
remembered=$cache/${suite:+$suite-}$package.image
if [[ -z $image && -s $remembered ]]; then image=$(<"$remembered"); say "offline: using the cached $image"; fi
[[ -n $image ]] || fail "no Debian kernel package '$package' (apt-cache depends found no linux-image-*)"
echo "$image" >"$remembered"

root=$cache/$image
if [[ ! -f $root/.unpacked ]]; then
  say "downloading $image"
  rm -rf "$root" && mkdir -p "$root"
  (cd "$root" && apt-get download -qq "$image" >/dev/null) || fail "apt-get download $image failed"
  dpkg -x "$root"/*.deb "$root/fs" && rm -f "$root"/*.deb
  touch "$root/.unpacked"
fi
krel=$(ls "$root/fs/lib/modules")
kernel=$root/fs/boot/vmlinuz-$krel
[[ -f $kernel ]] || fail "$image has no /boot/vmlinuz-$krel"
[[ -f $root/fs/lib/modules/$krel/modules.dep ]] || depmod -b "$root/fs" "$krel"
[[ -z $prepare ]] || exit 0

# The initramfs: busybox, the modules that reach the shared file systems (built in or modules,
# depending on the kernel), and an /init that mounts it all, runs the command and powers off.
run=$(mktemp -d "$cache/run.XXXXXX")
qemu_pid=
cleanup() {
  # qemu_pid is timeout's: it passes the TERM on to QEMU (and kills it 10 s later if need be).
  if [[ -n $qemu_pid ]]; then kill -TERM "$qemu_pid" 2>/dev/null; wait "$qemu_pid" 2>/dev/null; fi
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

initrd=$run/initrd
mkdir -p "$initrd"/{bin,dev,proc,sys,lower,upper,newroot,modules}
cp /bin/busybox "$initrd/bin/busybox"
for m in virtio_pci 9pnet_virtio 9p overlay; do modprobe -d "$root/fs" -S "$krel" --show-depends "$m"; done 2>/dev/null |
  awk '$1 == "insmod" && !seen[$2]++ { print $2 }' | while read -r module; do
    name=$(basename "$module")
    case $name in
      *.xz) xz -dc "$module" >"$initrd/modules/${name%.xz}"; name=${name%.xz} ;;
      *.zst) zstd -qdc "$module" >"$initrd/modules/${name%.zst}"; name=${name%.zst} ;;
      *) cp "$module" "$initrd/modules/$name" ;;
    esac
    echo "$name" >>"$initrd/modules/order"
  done

# The command runs in a clean environment: the host's PATH and dotnet, this checkout as the directory.
{
  printf 'export PATH=%q HOME=/root TERM=dumb LANG=C.UTF-8\n' "$PATH"
  for name in DOTNET_ROOT DOTNET_CLI_TELEMETRY_OPTOUT DOTNET_NOLOGO NUGET_PACKAGES; do
    [[ -n ${!name:-} ]] && printf 'export %s=%q\n' "$name" "${!name}"
  done
  printf 'cd %q\n' "$checkout"
  printf '%q ' "$@"; echo
} >"$initrd/command.sh"

cat >"$initrd/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
[ -f /modules/order ] && for m in \$(cat /modules/order); do insmod /modules/\$m 2>/dev/null; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 host /lower || echo "ebpfps-vm: cannot mount the host's /"
mount -t tmpfs -o size=75% tmpfs /upper && mkdir /upper/rw /upper/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/rw,workdir=/upper/work /newroot || echo "ebpfps-vm: no overlay"
mkdir -p /newroot/lib/modules/$krel && mount --bind /newroot$root/fs/lib/modules/$krel /newroot/lib/modules/$krel
mount --move /dev /newroot/dev; mount --move /proc /newroot/proc; mount --move /sys /newroot/sys
mkdir -p /newroot/dev/pts /newroot/dev/shm; mount -t devpts devpts /newroot/dev/pts; mount -t tmpfs tmpfs /newroot/dev/shm
mount -t tmpfs tmpfs /newroot/tmp; mount -t tmpfs tmpfs /newroot/run
# The checkout after /tmp and /run: a clone under /tmp must not be hidden by the guest's own /tmp.
mkdir -p /newroot$checkout && mount -t 9p -o trans=virtio,version=9p2000.L,cache=mmap,msize=262144 checkout /newroot$checkout
cp /command.sh /newroot/run/ebpfps-command.sh
mount -t tracefs nodev /newroot/sys/kernel/tracing; mount -t debugfs nodev /newroot/sys/kernel/debug
mount -t bpf bpf /newroot/sys/fs/bpf; mount -t cgroup2 none /newroot/sys/fs/cgroup
# The kernel loads modules on demand (veth, ...) through a helper that runs in this initramfs: it
# must use the modprobe and modules of the new root.
printf '#!/bin/busybox sh\nexec chroot /newroot /sbin/modprobe "\$@"\n' >/bin/modprobe-in-root
chmod +x /bin/modprobe-in-root; echo /bin/modprobe-in-root >/newroot/proc/sys/kernel/modprobe
hostname ebpfps-vm; ip link set lo up
echo "ebpfps-vm: kernel \$(uname -r) is up"
chroot /newroot /bin/bash /run/ebpfps-command.sh </dev/console >/dev/console 2>&1
echo "ebpfps-vm: exit \$?"
sync
poweroff -f
EOF
chmod +x "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$run/initrd.img"

say "booting $krel (timeout ${timeout}s)"
# thread=single: one host thread runs the guest's CPUs in turn. With a host thread per guest CPU (thread=multi)
# the kernel patching its own code (static keys of syscall tracepoints, kprobes, fentry) while another guest
# CPU ran it crashed 6.1 and 6.12 again and again (an int3 oops or a lock-up in syscall_trace_enter).
# panic=-1 with -no-reboot ends QEMU on a panic, and softlockup_panic=1 makes a locked-up guest one, so that
# it fails at once instead of at the time-out.
timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
  -accel tcg,thread=single -cpu max -smp "$(nproc)" -m "$memory" \
  -kernel "$kernel" -initrd "$run/initrd.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 softlockup_panic=1 rdinit=/init" \
  -fsdev local,id=host,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=host,mount_tag=host \
  -fsdev local,id=checkout,path="$checkout",security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=checkout,mount_tag=checkout \
  -nic none -display none -monitor none -serial stdio -no-reboot \
  </dev/null > >(tee "$run/console.log") &
qemu_pid=$!
set +e
wait "$qemu_pid"
status=$?
set -e
qemu_pid=
sleep 0.2 # let tee finish the log
if [[ $status -eq 124 || $status -eq 137 ]]; then say "timed out after ${timeout}s"; exit 124; fi
code=$(grep -aoE 'ebpfps-vm: exit [0-9]+' "$run/console.log" | tail -1 | grep -oE '[0-9]+$' || true)
[[ -n $code ]] || fail "the guest ended without reporting the command's exit code (QEMU exit $status)"
exit "$code"
