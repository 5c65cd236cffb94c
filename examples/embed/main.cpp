// Runs a folder of migrations from a C++ program, without the CLI:
//   cairn_embed_example MIGRATIONS_DIR [DATABASE_URL]
// Applies everything, rolls everything back, and checks the history agrees.
#include <cairn/database.hpp>
#include <cairn/error.hpp>
#include <cairn/migrator.hpp>
#include <cairn/source.hpp>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " MIGRATIONS_DIR [DATABASE_URL]\n";
    return 2;
  }
  try {
    auto url = cairn::parse_database_url(argc > 2 ? argv[2] : "sqlite::memory:");
    auto db = cairn::open_database(url);
    cairn::Migrator migrator(*db, cairn::load_migrations(argv[1]));

    cairn::RunReport up = migrator.up({});
    if (!up.ok()) {
      std::cerr << "up failed: " << up.failure->message << "\n";
      return 1;
    }
    cairn::Status status = migrator.status();
    std::cout << "applied " << up.steps.size() << " migration(s); now at " << status.current.value_or(0) << "\n";
    if (status.pending != 0 || status.applied != static_cast<int>(migrator.migrations().migrations.size())) {
      std::cerr << "unexpected status after up\n";
      return 1;
    }

    cairn::RunOptions all;
    all.all = true;
    cairn::RunReport down = migrator.down(all);
    if (!down.ok() || migrator.status().applied != 0) {
      std::cerr << "down failed\n";
      return 1;
    }
    std::cout << "rolled back " << down.steps.size() << " migration(s)\n";
    return 0;
  } catch (const cairn::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return cairn::exit_code(e.kind());
  }
}
