#include "app/cli.h"

#include <algorithm>
#include <ostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/command.h"
#include "app/version.h"
#include "crypto/cpu_features.h"

namespace qpow::app {
namespace {

std::string version_text() {
  const crypto::CpuFeatures& f = crypto::cpu_features();
  const crypto::CpuSelection& sel = crypto::active_cpu_selection();
  std::string text = std::string("qpow ") + kVersion + " (" + kGitDescribe + ")\n";
  text += "keccak-f[1600] path: " + std::string(crypto::cpu_path_name(sel.path));
  text += std::string(" (cpu: avx2 ") + (f.avx2 ? "yes" : "no") + ", avx512f " +
          (f.avx512f ? "yes" : "no") + ", avx512vl " + (f.avx512vl ? "yes" : "no") + ")\n";
  if (!sel.note.empty()) text += "note: " + sel.note + "\n";
  return text;
}

// CLI11 messages can span lines; the contract is one line per error.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void add_help_command(CLI::App& app, CommandContext& ctx, std::vector<std::string>& topic) {
  CLI::App* help = app.add_subcommand("help", "Show help for qpow or for one of its commands");
  help->add_option("command", topic, "Command path, e.g. `crypto hash`");
  help->callback([&app, &ctx, &topic] {
    const CLI::App* target = &app;
    std::string path = "qpow";
    for (const std::string& name : topic) {
      const auto subs =
          target->get_subcommands([&name](const CLI::App* s) { return s->get_name() == name; });
      if (subs.empty()) {
        ctx.exit_code = fail_usage(ctx, "unknown command '" + name + "'; run 'qpow help'");
        return;
      }
      target = subs.front();
      path += " " + name;
    }
    // The formatter directly: App::help() would describe the selected `help` command instead.
    ctx.io.out << target->get_formatter()->make_help(target, path, CLI::AppFormatMode::Normal);
  });
}

}  // namespace

int fail_usage(const CommandContext& ctx, std::string_view message) {
  ctx.io.err << "qpow: error: " << message << '\n';
  return kExitUsage;
}

int fail_usage(const CommandContext& ctx, const util::Status& status) {
  return fail_usage(ctx, status.message());
}

int fail_operation(const CommandContext& ctx, const util::Status& status) {
  ctx.io.err << "qpow: error: " << status.message() << '\n';
  return kExitNegative;
}

int run_cli(std::span<const std::string> args, Io io) {
  CommandContext ctx{io};
  CLI::App app("qpow: a post-quantum proof-of-work blockchain node", "qpow");
  app.set_help_flag("-h,--help", "Show this help and exit");
  bool show_version = false;
  app.add_flag("--version", show_version, "Show the version and the CPU path in use, then exit");
  app.require_subcommand(0, 1);

  std::vector<std::string> help_topic;
  add_help_command(app, ctx, help_topic);
  add_crypto_command(app, ctx);
  add_wallet_command(app, ctx);
  add_mine_command(app, ctx);
  add_node_command(app, ctx);
  add_sim_command(app, ctx);
  add_bench_command(app, ctx);

  // CLI11 parses a vector given in reverse order.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      io.out << app.help();
      return kExitOk;
    }
    return fail_usage(ctx, one_line(e.what()));
  }
  if (show_version) {
    io.out << version_text();
    return kExitOk;
  }
  if (app.get_subcommands().empty()) {
    return fail_usage(ctx, "no command given; run 'qpow help'");
  }
  return ctx.exit_code;
}

}  // namespace qpow::app
