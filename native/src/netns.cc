// refmysql network-namespace addon.
//
// Implements the socket-creation half of MySQL 8.0 section 5.1.14 (Network Namespace Support):
// https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html
// Requirements: NETNS-011 (a name is the /run/netns/<name> handle, entered with setns()),
// NETNS-013 (setns needs CAP_SYS_ADMIN; EPERM is reported, never hidden).
//
// Why this exists: Node cannot call setns(). A socket belongs to the namespace that was current
// on the creating thread when socket() ran, and it keeps that namespace for life. So the only
// namespace-sensitive moment is creation (plus bind, which resolves interface scope ids in the
// namespace): we switch the calling thread in, create and bind, and switch straight back before
// returning to JavaScript. Everything afterwards (listen, accept, connect, I/O) is ordinary libuv
// work on the returned descriptor.
//
// Invariant: the calling thread is in its original namespace whenever control returns to
// JavaScript. If switching back ever failed we could no longer tell which namespace later sockets
// land in, so that case is fatal rather than reported.

#include <napi.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

namespace {

// A failed step, thrown to JavaScript as an Error with {step, errno, code, osMessage}.
Napi::Value Fail(Napi::Env env, const char* step, int err) {
  const char* os_message = strerror(err);
  std::string text = std::string(step) + "() failed: " + os_message;
  Napi::Error e = Napi::Error::New(env, text);
  e.Set("step", Napi::String::New(env, step));
  e.Set("errno", Napi::Number::New(env, err));
  e.Set("code", Napi::String::New(env, uv_err_name(-err)));
  e.Set("osMessage", Napi::String::New(env, os_message));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

// The namespace handle of the calling thread (not the process: only this thread switches).
int OpenOwnNamespace() {
  int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  return fd;
}

// Holds the thread inside a target namespace for one scope and always switches back.
class NamespaceSwitch {
 public:
  NamespaceSwitch() = default;
  NamespaceSwitch(const NamespaceSwitch&) = delete;
  NamespaceSwitch& operator=(const NamespaceSwitch&) = delete;

  // Returns nullptr on success, else the failed step name with errno in `err`.
  const char* Enter(const std::string& path, int* err) {
    own_ = OpenOwnNamespace();
    if (own_ < 0) {
      *err = errno;
      return "open";
    }
    int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (target < 0) {
      *err = errno;
      return "open";
    }
    int rc = setns(target, CLONE_NEWNET);
    int saved = errno;
    close(target);
    if (rc != 0) {
      *err = saved;
      return "setns";
    }
    entered_ = true;
    return nullptr;
  }

  ~NamespaceSwitch() {
    if (entered_ && setns(own_, CLONE_NEWNET) != 0) {
      Napi::Error::Fatal("refmysql_netns", "could not switch the thread back to its own network namespace");
    }
    if (own_ >= 0) close(own_);
  }

 private:
  int own_ = -1;
  bool entered_ = false;
};

// Parses a numeric IPv4/IPv6 address (IPv6 may carry %scope, resolved in the current namespace).
bool ParseAddress(const std::string& text, int port, sockaddr_storage* out, socklen_t* len, int* family) {
  std::memset(out, 0, sizeof(*out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in);
    *family = AF_INET;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  std::string host = text;
  std::string scope;
  size_t pct = text.find('%');
  if (pct != std::string::npos) {
    host = text.substr(0, pct);
    scope = text.substr(pct + 1);
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) != 1) return false;
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(static_cast<uint16_t>(port));
  if (!scope.empty()) v6->sin6_scope_id = if_nametoindex(scope.c_str());
  *len = sizeof(sockaddr_in6);
  *family = AF_INET6;
  return true;
}

// Runs `make` with the calling thread inside the namespace at `path` and returns what it made (a
// descriptor, or -1 with the failed step and errno set). The thread is back in its own namespace
// when this returns, whatever happened.
template <typename Make>
int CreateInNamespace(const std::string& path, const char** failed, int* err, Make make) {
  NamespaceSwitch ns;
  *failed = ns.Enter(path, err);
  if (*failed != nullptr) return -1;
  return make(failed, err);
}

// listenTcp(path, address, port, backlog, v6only) -> fd of a bound, listening, non-blocking
// TCP socket created inside the namespace at `path`.
Napi::Value ListenTcp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber() ||
      !info[3].IsNumber() || !info[4].IsBoolean()) {
    Napi::TypeError::New(env, "listenTcp(path, address, port, backlog, v6only)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string address = info[1].As<Napi::String>().Utf8Value();
  int port = info[2].As<Napi::Number>().Int32Value();
  int backlog = info[3].As<Napi::Number>().Int32Value();
  bool v6only = info[4].As<Napi::Boolean>().Value();
  if (port < 0 || port > 65535) return Fail(env, "bind", EINVAL);

  int err = 0;
  const char* failed = nullptr;
  int fd = CreateInNamespace(path, &failed, &err, [&](const char** step, int* e) {
    sockaddr_storage sa;
    socklen_t len = 0;
    int family = 0;
    if (!ParseAddress(address, port, &sa, &len, &family)) {
      *step = "bind";
      *e = EINVAL;
      return -1;
    }
    int s = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) {
      *step = "socket";
      *e = errno;
      return -1;
    }
    int on = 1;
    // As Node does for its own listeners: restarting servers must not wait out TIME_WAIT.
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (family == AF_INET6) {
      int v6 = v6only ? 1 : 0;
      setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof(v6));
    }
    if (bind(s, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
      *step = "bind";
    } else if (listen(s, backlog) != 0) {
      *step = "listen";
    } else {
      return s;
    }
    *e = errno;
    close(s);
    return -1;
  });
  if (failed != nullptr) return Fail(env, failed, err);
  return Napi::Number::New(env, fd);
}

// tcpSocket(path, family 4|6) -> fd of an unconnected, non-blocking TCP socket created inside the
// namespace at `path` (for outgoing connections).
Napi::Value TcpSocket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "tcpSocket(path, family)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int family = info[1].As<Napi::Number>().Int32Value() == 6 ? AF_INET6 : AF_INET;
  int err = 0;
  const char* failed = nullptr;
  int fd = CreateInNamespace(path, &failed, &err, [&](const char** step, int* e) {
    int s = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) {
      *step = "socket";
      *e = errno;
    }
    return s;
  });
  if (failed != nullptr) return Fail(env, failed, err);
  return Napi::Number::New(env, fd);
}

// currentNamespace() -> "net:[inode]" of the calling thread (tests check the switch-back).
Napi::Value CurrentNamespace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char buf[64];
  ssize_t n = readlink("/proc/thread-self/ns/net", buf, sizeof(buf) - 1);
  if (n < 0) return Fail(env, "readlink", errno);
  buf[n] = '\0';
  return Napi::String::New(env, buf);
}

// dupFd(fd) -> a second descriptor (close-on-exec) for the same open socket. The server accepts
// and authenticates a client on the main thread, then hands the connection to an I/O thread:
// descriptors are process-wide, so the I/O thread wraps the duplicate in its own socket object
// and the main thread closes its copy without the peer noticing (the connection ends only when
// the last descriptor for it is closed). Requirement: CORE-PERF-021.
Napi::Value DupFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "dupFd(fd)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = info[0].As<Napi::Number>().Int32Value();
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return Fail(env, "dup", errno);
  return Napi::Number::New(env, copy);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("dupFd", Napi::Function::New(env, DupFd, "dupFd"));
  exports.Set("listenTcp", Napi::Function::New(env, ListenTcp, "listenTcp"));
  exports.Set("tcpSocket", Napi::Function::New(env, TcpSocket, "tcpSocket"));
  exports.Set("currentNamespace", Napi::Function::New(env, CurrentNamespace, "currentNamespace"));
  return exports;
}

}  // namespace

NODE_API_MODULE(refmysql_netns, Init)
