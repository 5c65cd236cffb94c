#include <gtest/gtest.h>

#include "cairn/duration.hpp"
#include "cairn/error.hpp"
#include "cairn/hash.hpp"
#include "cairn/location.hpp"
#include "cairn/url.hpp"
#include "cairn/version.hpp"

namespace cairn {
namespace {

TEST(Duration, ParsesEveryUnitAndCombinations) {
  EXPECT_EQ(parse_duration("500ms").count(), 500);
  EXPECT_EQ(parse_duration("5s").count(), 5000);
  EXPECT_EQ(parse_duration("30m").count(), 1'800'000);
  EXPECT_EQ(parse_duration("1h").count(), 3'600'000);
  EXPECT_EQ(parse_duration("1m30s").count(), 90'000);
  EXPECT_EQ(parse_duration("0").count(), 0);
}

TEST(Duration, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "5", "5x", "s", "-5s", "5 s", "1.5s"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos);
    }
  }
}

TEST(Duration, FormatsInTheLargestExactUnit) {
  EXPECT_EQ(format_duration(Duration{90'000}), "90s");
  EXPECT_EQ(format_duration(Duration{120'000}), "2m");
  EXPECT_EQ(format_duration(Duration{1500}), "1500ms");
}

TEST(Version, NumericWithLeadingZeros) {
  EXPECT_EQ(parse_version("0001"), 1);
  EXPECT_EQ(parse_version("20260101120000"), 20260101120000);
  EXPECT_FALSE(parse_version("0"));
  EXPECT_FALSE(parse_version("12a"));
  EXPECT_FALSE(parse_version("1234567890123456789"));
}

TEST(Hash, Sha256OfKnownInput) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(sha256_int64("a"), sha256_int64("b"));
}

TEST(Url, RecognisesSchemesAndMasksThePassword) {
  auto pg = parse_database_url("postgres://app:s3cr%40t@db.example:5432/app?sslmode=require");
  EXPECT_EQ(pg.dialect, Dialect::postgres);
  EXPECT_EQ(pg.password, "s3cr@t");
  EXPECT_EQ(pg.redacted(), "postgres://app:****@db.example:5432/app?sslmode=require");

  auto query = parse_database_url("postgresql://app@h/db?password=hunter2&sslmode=disable");
  EXPECT_EQ(query.password, "hunter2");
  EXPECT_EQ(query.redacted().find("hunter2"), std::string::npos);

  auto lite = parse_database_url("sqlite:data/app.db");
  EXPECT_EQ(lite.dialect, Dialect::sqlite);
  EXPECT_EQ(lite.sqlite_path, "data/app.db");
  EXPECT_EQ(parse_database_url("sqlite::memory:").sqlite_path, ":memory:");
}

TEST(Url, WithoutPasswordForOtherPrograms) {
  EXPECT_EQ(parse_database_url("postgres://app:s3cr%40t@db.example:5432/app?sslmode=require").without_password(),
            "postgres://app@db.example:5432/app?sslmode=require");
  EXPECT_EQ(parse_database_url("postgresql://app@h/db?password=hunter2&sslmode=disable").without_password(),
            "postgresql://app@h/db?sslmode=disable");
  EXPECT_EQ(parse_database_url("postgres://app@h/db").without_password(), "postgres://app@h/db");
}

TEST(Url, RejectsUnknownSchemesWithoutEchoingCredentials) {
  try {
    parse_database_url("mysql://root:topsecret@h/db");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
  }
  EXPECT_THROW(parse_database_url("sqlite:"), Error);
}

TEST(Url, MaskSecretReplacesEveryOccurrence) {
  EXPECT_EQ(mask_secret("pw=abc and abc", "abc"), "pw=**** and ****");
  EXPECT_EQ(mask_secret("nothing", ""), "nothing");
}

TEST(Location, LineAndColumnOfOffsets) {
  std::string text = "ab\ncd\n\nef";
  EXPECT_EQ(locate("f.sql", text, 0).to_string(), "f.sql:1:1");
  EXPECT_EQ(locate("f.sql", text, 4).to_string(), "f.sql:2:2");
  EXPECT_EQ(locate("f.sql", text, 8).to_string(), "f.sql:4:2");
}

}  // namespace
}  // namespace cairn
