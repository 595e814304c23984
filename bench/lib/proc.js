'use strict';
/** Process helpers for the harness: /proc readings, spawning pinned children, waiting for HTTP. */
const fs = require('node:fs');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces, closed by the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in MiB (VmRSS). */
function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The CPU list to pin to (taskset -c), or none when the machine has a single core. */
function pinned(cpus, command, args) {
  return cpus && fs.existsSync('/usr/bin/taskset') ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}

/** Spawns a child, optionally pinned; stdout and stderr go to a log file. */
function spawnLogged({ command, args, cpus, env, cwd, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const [cmd, argv] = pinned(cpus, command, args);
  const child = spawn(cmd, argv, { env, cwd, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

/** One GET; resolves with the status code, or 0 when nothing answered. */
function httpStatus(url, timeoutMillis = 1000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMillis, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** A GET's body as text. */
function httpText(url, timeoutMillis = 3000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMillis, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** Polls until the URL answers 200; returns the milliseconds waited since `sinceMs`. */
async function waitFor200(url, { child, sinceMs, timeoutMillis = 30000, intervalMillis = 5 }) {
  const deadline = sinceMs + timeoutMillis;
  while (performance.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`);
    if ((await httpStatus(url, 500)) === 200) return performance.now() - sinceMs;
    await sleep(intervalMillis);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMillis} ms`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMillis` (auto-instrumentations trap SIGTERM). */
function stop(child, graceMillis = 8000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMillis);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a node script in a child (optionally pinned) and parses the JSON it prints last. */
function runJson({ script, args = [], cpus, env = process.env, cwd, nodeArgs = [] }) {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = pinned(cpus, process.execPath, [...nodeArgs, script, ...args]);
    const child = spawn(cmd, argv, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      const last = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} printed no JSON: ${out.slice(-500)}`));
      }
    });
  });
}

module.exports = { cpuSeconds, rssMiB, spawnLogged, httpStatus, httpText, waitFor200, sleep, stop, runJson, CLOCK_TICKS };
