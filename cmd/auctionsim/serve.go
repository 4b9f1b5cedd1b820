package main

const serveHelp = ""

func serveCmd(args []string, st streams) int { return exitUsage }
