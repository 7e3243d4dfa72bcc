#include "core/trace/seccompfilter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include <cstddef>

namespace pipescope
{

namespace
{

#if defined(__x86_64__)
constexpr unsigned kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArch = AUDIT_ARCH_AARCH64;
#else
#error "PipeScope's tracer knows x86_64 and aarch64 only"
#endif

} // namespace

std::vector<int> SeccompFilter::tracedSyscalls(bool countOnly)
{
    // The calls that make, copy or drop a pipe end, or change the tree: count-only keeps these.
    std::vector<int> calls = {SYS_pipe2, SYS_clone, SYS_clone3, SYS_execve, SYS_execveat, SYS_close, SYS_close_range,
        SYS_dup, SYS_dup3, SYS_fcntl, SYS_wait4, SYS_waitid, SYS_exit_group, SYS_socketpair,
        // A FIFO's end comes from open by name (mkfifo is mknodat): only a FIFO's open stops twice.
        SYS_openat, SYS_mknodat};
    // The data calls: each is two context switches under ptrace, the whole cost of a busy pipe.
    if (!countOnly) {
        for (const int nr : {SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_splice, SYS_tee, SYS_pselect6, SYS_ppoll})
            calls.push_back(nr);
    }
    // The old calls exist on x86_64 only; aarch64 has just their successors above.
#ifdef SYS_pipe
    calls.push_back(SYS_pipe);
#endif
#ifdef SYS_fork
    calls.push_back(SYS_fork);
#endif
#ifdef SYS_vfork
    calls.push_back(SYS_vfork);
#endif
#ifdef SYS_dup2
    calls.push_back(SYS_dup2);
#endif
#ifdef SYS_open
    calls.push_back(SYS_open);
#endif
#ifdef SYS_mknod
    calls.push_back(SYS_mknod);
#endif
#ifdef SYS_select
    if (!countOnly)
        calls.push_back(SYS_select);
#endif
#ifdef SYS_poll
    if (!countOnly)
        calls.push_back(SYS_poll);
#endif
    return calls;
}

std::vector<sock_filter> SeccompFilter::program(bool countOnly)
{
    const std::vector<int> calls = tracedSyscalls(countOnly);
    const auto n = static_cast<unsigned char>(calls.size());
    std::vector<sock_filter> prog;
    // Another ABI (i386 via int 0x80, x32) numbers its calls differently: let it
    // run untraced rather than trace the wrong calls.
    prog.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
    prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0));
    prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    prog.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
#ifdef __X32_SYSCALL_BIT
    prog.push_back(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, n, 0));
#endif
    // Instruction i of n compares one number; a match jumps over the rest and
    // the ALLOW to the final TRACE.
    for (unsigned char i = 0; i < n; ++i)
        prog.push_back(
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(calls[i]), static_cast<unsigned char>(n - i), 0));
    prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
    return prog;
}

} // namespace pipescope
