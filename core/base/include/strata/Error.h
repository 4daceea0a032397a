#pragma once

#include <stdexcept>
#include <string>

namespace strata {

/// Base of every error Strata reports to users. what() is a complete, human-readable sentence.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A file could not be read or written: says which file and why.
class IoError : public Error {
public:
    using Error::Error;
};

/// A caller passed a value that makes no sense (bad dimensions, unknown name, ...).
class InvalidArgument : public Error {
public:
    using Error::Error;
};

/// The work was cancelled through its std::stop_token. Not an error for the user, but it unwinds like one.
class Cancelled : public Error {
public:
    Cancelled() : Error("Cancelled.") {}
    using Error::Error;
};

} // namespace strata
