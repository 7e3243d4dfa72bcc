#include "core/watch/exitaccounting.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace pipescope
{

namespace
{

// Walks the netlink attributes in [data, data + length).
template<typename F>
void forEachAttr(const char *data, int length, F f)
{
    while (length >= static_cast<int>(NLA_HDRLEN)) {
        const auto *attr = reinterpret_cast<const nlattr *>(data);
        if (attr->nla_len < NLA_HDRLEN || attr->nla_len > length)
            return;
        f(attr->nla_type & NLA_TYPE_MASK, data + NLA_HDRLEN, static_cast<int>(attr->nla_len - NLA_HDRLEN));
        const int step = static_cast<int>(NLA_ALIGN(attr->nla_len));
        data += step;
        length -= step;
    }
}

} // namespace

ExitAccounting::~ExitAccounting()
{
    close();
}

bool ExitAccounting::command(int cmd, int attr, const void *data, int length)
{
    struct {
        nlmsghdr header;
        genlmsghdr genl;
        char payload[256];
    } request {};
    if (static_cast<std::size_t>(length) + NLA_HDRLEN > sizeof request.payload)
        return false;
    request.header.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
    request.header.nlmsg_type = static_cast<__u16>(cmd == CTRL_CMD_GETFAMILY ? GENL_ID_CTRL : m_family);
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    request.genl.cmd = static_cast<__u8>(cmd);
    request.genl.version = 1;
    auto *a = reinterpret_cast<nlattr *>(reinterpret_cast<char *>(&request) + request.header.nlmsg_len);
    a->nla_type = static_cast<__u16>(attr);
    a->nla_len = static_cast<__u16>(NLA_HDRLEN + length);
    std::memcpy(reinterpret_cast<char *>(a) + NLA_HDRLEN, data, static_cast<std::size_t>(length));
    request.header.nlmsg_len += NLA_ALIGN(a->nla_len);
    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    return sendto(m_fd, &request, request.header.nlmsg_len, 0, reinterpret_cast<sockaddr *>(&kernel), sizeof kernel)
        >= 0;
}

int ExitAccounting::setReceiveBuffer(int bytes)
{
    if (m_fd < 0)
        return 0;
    // SO_RCVBUF is capped at net.core.rmem_max (about 200 KiB); SO_RCVBUFFORCE is not, and
    // needs CAP_NET_ADMIN, which taskstats needs anyway.
    if (setsockopt(m_fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)
        setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    socklen_t size = sizeof m_receiveBuffer;
    if (getsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &m_receiveBuffer, &size) != 0)
        m_receiveBuffer = 0;
    return m_receiveBuffer;
}

bool ExitAccounting::open(std::string *problem)
{
    close();
    m_overflows = 0;
    m_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (m_fd < 0) {
        *problem = std::string("netlink: ") + std::strerror(errno);
        return false;
    }
    // Exits come in bursts (a pipeline ends all at once, and every exit of the system is
    // sent): room for a few thousand records.
    setReceiveBuffer(kReceiveBuffer);
    const timeval wait {1, 0}; // replies to our own requests only; never blocks longer
    setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    const char name[] = TASKSTATS_GENL_NAME;
    alignas(nlmsghdr) char reply[8192];
    const auto ack = [&]() {
        const ssize_t n = recv(m_fd, reply, sizeof reply, 0);
        const auto *h = reinterpret_cast<const nlmsghdr *>(reply);
        if (n < static_cast<ssize_t>(sizeof(nlmsghdr)))
            return -EIO;
        if (h->nlmsg_type == NLMSG_ERROR)
            return reinterpret_cast<const nlmsgerr *>(NLMSG_DATA(h))->error;
        return 0;
    };
    if (!command(CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME, name, sizeof name)) {
        *problem = std::string("netlink: ") + std::strerror(errno);
        close();
        return false;
    }
    const ssize_t n = recv(m_fd, reply, sizeof reply, 0);
    const auto *h = reinterpret_cast<const nlmsghdr *>(reply);
    if (n >= static_cast<ssize_t>(NLMSG_LENGTH(GENL_HDRLEN)) && h->nlmsg_type != NLMSG_ERROR) {
        forEachAttr(reinterpret_cast<const char *>(NLMSG_DATA(h)) + GENL_HDRLEN,
            static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)), [&](int type, const char *data, int) {
                if (type == CTRL_ATTR_FAMILY_ID)
                    m_family = *reinterpret_cast<const __u16 *>(data);
            });
        ack();
    }
    if (m_family < 0) {
        *problem = "the kernel has no taskstats";
        close();
        return false;
    }
    const long cpus = sysconf(_SC_NPROCESSORS_CONF);
    m_cpus = "0-" + std::to_string(cpus > 0 ? cpus - 1 : 0);
    const int registered = command(TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, m_cpus.c_str(),
                               static_cast<int>(m_cpus.size() + 1))
        ? ack()
        : -errno;
    if (registered != 0) {
        *problem = std::string("taskstats: ") + std::strerror(-registered);
        close();
        return false;
    }
    return true;
}

std::vector<ExitRecord> ExitAccounting::drain()
{
    std::vector<ExitRecord> out;
    if (m_fd < 0)
        return out;
    alignas(nlmsghdr) char buf[16384];
    for (;;) {
        const ssize_t n = recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ENOBUFS) {
            ++m_overflows; // some records were lost; the rest still count
            continue;
        }
        if (n <= 0)
            break;
        int left = static_cast<int>(n);
        for (auto *h = reinterpret_cast<const nlmsghdr *>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type != m_family || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
                continue;
            forEachAttr(reinterpret_cast<const char *>(NLMSG_DATA(h)) + GENL_HDRLEN,
                static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)), [&](int type, const char *data, int len) {
                    // One record per exiting thread (AGGR_PID). The sum a multi-threaded
                    // process adds as its last thread goes (AGGR_TGID) carries no byte
                    // counts, so it is skipped: such a process's record is its main thread's.
                    if (type != TASKSTATS_TYPE_AGGR_PID)
                        return;
                    forEachAttr(data, len, [&](int inner, const char *stats, int statsLen) {
                        if (inner != TASKSTATS_TYPE_STATS
                            || statsLen < static_cast<int>(offsetof(taskstats, write_char) + sizeof(__u64)))
                            return;
                        taskstats t {};
                        std::memcpy(&t, stats, std::min<std::size_t>(sizeof t, static_cast<std::size_t>(statsLen)));
                        ExitRecord r;
                        r.pid = static_cast<pid_t>(t.ac_pid);
                        r.ppid = static_cast<pid_t>(t.ac_ppid);
                        r.comm.assign(t.ac_comm, strnlen(t.ac_comm, sizeof t.ac_comm));
                        r.rchar = t.read_char;
                        r.wchar = t.write_char;
                        r.exitStatus = static_cast<int>(t.ac_exitcode);
                        out.push_back(std::move(r));
                    });
                });
        }
    }
    return out;
}

void ExitAccounting::close()
{
    if (m_fd < 0)
        return;
    if (m_family >= 0 && !m_cpus.empty())
        command(TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, m_cpus.c_str(),
            static_cast<int>(m_cpus.size() + 1));
    ::close(m_fd);
    m_fd = -1;
    m_family = -1;
}

} // namespace pipescope
