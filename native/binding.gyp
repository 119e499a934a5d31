# The refmysql network-namespace addon (see native/README.md).
# Built by `npm install` / `npm ci` (package.json "install": node-gyp rebuild --directory=native)
# against the Node headers that are already on the machine (no downloads).
{
  "targets": [
    {
      "target_name": "refmysql_netns",
      "sources": ["src/netns.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "conditions": [["OS!='linux'", {"sources!": ["src/netns.cc"], "sources": ["src/unsupported.cc"]}]]
    }
  ]
}
