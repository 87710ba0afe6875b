// Binds a database to its program: the first open records the program config (TOML text) in the
// store, and every later open runs with the recorded one, so that a database is never scored by
// two different rule sets by accident.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "engine/engine.h"
#include "store/store.h"

namespace onecard {

// `config_path`: the program file to use for a new database (default: the built-in
// eighty-eight program). For an existing database it must hold the same text as the recorded
// config, or be absent. Errors: kInvalidConfig, kIoError, store errors.
Result<std::unique_ptr<Engine>> OpenEngine(std::unique_ptr<Store> store,
                                           const std::optional<std::string>& config_path,
                                           EngineOptions options = {});

}  // namespace onecard
