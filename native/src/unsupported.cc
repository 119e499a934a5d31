// refmysql network-namespace addon, non-Linux build: network namespaces are a Linux feature
// (MySQL 8.0 section 5.1.14, requirement NETNS-004), so every entry point reports that.
#include <napi.h>

namespace {
Napi::Value Unsupported(const Napi::CallbackInfo& info) {
  Napi::Error::New(info.Env(), "Network Namespaces is not supported on this platform").ThrowAsJavaScriptException();
  return info.Env().Undefined();
}
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("listenTcp", Napi::Function::New(env, Unsupported));
  exports.Set("tcpSocket", Napi::Function::New(env, Unsupported));
  exports.Set("currentNamespace", Napi::Function::New(env, Unsupported));
  return exports;
}
}  // namespace

NODE_API_MODULE(refmysql_netns, Init)
