# awk functions shared by bench/run.sh and bench/scale.sh, which put this file before their own programs.
# val(line, key): the number of " key=<number>" in a harness or floor line, -1 when it has none.
# stats(arr, n): sorts arr[1..n] and sets MED, MIN and MAX.
  function val(line, key,   m) { return match(line, " " key "=[0-9.]+") ? substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2) + 0 : -1 }
  function stats(arr, n,   i, j, t, s) {   # sorts arr[1..n]; sets MED, MIN, MAX
    for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
    MIN = arr[1]; MAX = arr[n]; MED = (n % 2) ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
