// Result<T>: a value or an Error. Expected outcomes are values, not exceptions.
#pragma once

#include <utility>
#include <variant>

#include "core/assert.h"
#include "core/error.h"

namespace onecard {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    ONECARD_ASSERT(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    ONECARD_ASSERT(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    ONECARD_ASSERT(ok());
    return std::get<0>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const {
    ONECARD_ASSERT(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

// Status: success or an Error, for operations with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const {
    ONECARD_ASSERT(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInvalidArgument, {}, {}};
  bool ok_ = true;
};

inline Error MakeError(ErrorCode code, std::string field, std::string message) {
  return Error{code, std::move(field), std::move(message)};
}

}  // namespace onecard
